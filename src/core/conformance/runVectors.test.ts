import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatReport, runVectorDocument } from './runVectors';

const publicVectors = (): { configs: { name: string; steps: Record<string, unknown>[] }[] } =>
  JSON.parse(readFileSync('conformance/zephyr-vectors-public.json', 'utf8')) as {
    configs: { name: string; steps: Record<string, unknown>[] }[];
  };

describe('conformance runner', () => {
  it('passes every public pbuf config byte for byte', () => {
    const reports = runVectorDocument('public', publicVectors()).filter((r) => !r.name.startsWith('H_'));
    expect(reports.length).toBeGreaterThanOrEqual(3);
    for (const report of reports) expect(formatReport(report)).toMatch(/^PASS /);
  });

  it('fails a config whose expected image differs by one byte, naming the step and the byte', () => {
    const vectors = publicVectors();
    const config = vectors.configs[0];
    const step = config?.steps[9];
    if (step === undefined || typeof step['image_hex'] !== 'string') throw new Error('fixture changed');
    const image = step['image_hex'];
    step['image_hex'] = image.slice(0, 2) + (image.slice(2, 4) === '00' ? '01' : '00') + image.slice(4);
    const [report] = runVectorDocument('tampered', vectors);
    expect(report?.status).toBe('fail');
    expect(report && formatReport(report)).toMatch(
      /^FAIL A_v10_nocache_64 step 9: \(write\) image_hex differs at byte 0x1 /,
    );
  });

  it('fails a config whose expected return value differs', () => {
    const vectors = publicVectors();
    const step = vectors.configs[0]?.steps[10];
    if (step === undefined) throw new Error('fixture changed');
    step['ret_name'] = 'EAGAIN';
    const [report] = runVectorDocument('tampered', vectors);
    expect(report && formatReport(report)).toBe(
      'FAIL A_v10_nocache_64 step 10: (write) ret: expected EAGAIN, got ENOMEM',
    );
  });

  it('rejects a file of unknown format with one failure instead of throwing', () => {
    expect(runVectorDocument('x.json', { format: 'other/9' }).map(formatReport)).toEqual([
      'FAIL x.json: unknown format "other/9"',
    ]);
    expect(runVectorDocument('y.json', 42).map(formatReport)).toEqual(['FAIL y.json: no "format" field']);
  });
});
