/**
 * The layer rules of DESIGN.md §2 are enforced by lint, so a wrong-layer import fails `npm test`.
 * These tests lint small probe files placed in each layer and check that the rules fire.
 */
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// The probes exist only in memory, so type-aware rules (which need a real file in a tsconfig) are
// switched off for them; the layer rules do not need types.
const eslint = new ESLint({
  overrideConfig: [{ files: ['**/*.ts', '**/*.tsx'], ...tseslint.configs.disableTypeChecked }],
});

async function messagesFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

describe('layer rules', () => {
  it('fail an import of react from src/core', async () => {
    const messages = await messagesFor(
      'src/core/probe.ts',
      "import { useState } from 'react';\nexport const x = useState;\n",
    );
    expect(messages.join('\n')).toMatch(/no-restricted-imports: .*src\/core is pure TypeScript/);
  });

  it.each([
    ['zustand', "import { create } from 'zustand';\nexport const c = create;\n"],
    ['d3', "import * as d3 from 'd3';\nexport const s = d3.select;\n"],
    ['a Node built-in', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n"],
    ['src/runtime', "import { x } from '../runtime/isolation';\nexport const y = x;\n"],
    ['src/app', "import { x } from '../../app/App';\nexport const y = x;\n"],
  ])('fail an import of %s from src/core', async (_what, code) => {
    expect(await messagesFor('src/core/shm/probe.ts', code)).toEqual([expect.stringMatching(/^no-restricted-imports/)]);
  });

  it('fail ambient time, randomness and timers in src/core', async () => {
    const messages = await messagesFor(
      'src/core/probe.ts',
      'export const a = Math.random();\nexport const b = Date.now();\nexport const c = new Date();\nsetTimeout(() => a, 1);\n',
    );
    expect(messages.map((m) => m.split(':')[0])).toEqual([
      'no-restricted-properties',
      'no-restricted-properties',
      'no-restricted-syntax',
      'no-restricted-globals',
    ]);
  });

  it('fail UI imports from src/runtime and app imports from src/runtime', async () => {
    expect(
      await messagesFor('src/runtime/probe.ts', "import React from 'react';\nexport const r = React;\n"),
    ).toHaveLength(1);
    expect(
      await messagesFor('src/runtime/probe.ts', "import { App } from '../app/App';\nexport const a = App;\n"),
    ).toHaveLength(1);
  });

  it('let src/app use core only through its index', async () => {
    expect(await messagesFor('src/app/probe.ts', "import { Pbuf } from '../core';\nexport const p = Pbuf;\n")).toEqual(
      [],
    );
    expect(
      await messagesFor('src/app/probe.ts', "import { Pbuf } from '../core/shm/pbuf';\nexport const p = Pbuf;\n"),
    ).toEqual([expect.stringMatching(/^no-restricted-imports/)]);
  });

  it('accept pure core code', async () => {
    expect(await messagesFor('src/core/probe.ts', "import { z } from 'zod';\nexport const s = z.string();\n")).toEqual(
      [],
    );
  });
});
