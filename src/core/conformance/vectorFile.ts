/**
 * The conformance vector formats (`../shared/conformance/README.md`), as zod schemas. Only the
 * fields the runner needs are described; everything else in a file is kept and ignored, so newer
 * generators can add fields without breaking older runners.
 */
import { z } from 'zod';

export const cacheOpSchema = z.tuple([z.enum(['F', 'I']), z.number().int(), z.number().int()]);

const expectedReturn = {
  ret: z.number(),
  ret_name: z.string().optional(),
};

export const pbufStepSchema = z.looseObject({
  i: z.number().int(),
  op: z.string(),
  ...expectedReturn,
  writer_local_wr_idx: z.number().int(),
  reader_local_rd_idx: z.number().int(),
  shm_rd_idx: z.number().int(),
  shm_wr_idx: z.number().int(),
  shm_handshake: z.number().int().optional(),
  cache_ops: z.array(cacheOpSchema).optional(),
  image_hex: z.string(),
  guard_hex: z.string().optional(),
  data_hex: z.string().optional(),
});
export type PbufStep = z.infer<typeof pbufStepSchema>;

export const pbufLayoutSchema = z.looseObject({
  rd_idx_off: z.number().int(),
  handshake_off: z.number().int().nullable(),
  wr_idx_off: z.number().int(),
  data_off: z.number().int(),
  data_len: z.number().int(),
});

export const pbufConfigSchema = z.looseObject({
  name: z.string(),
  purpose: z.string().optional(),
  region_size: z.number().int().positive(),
  dcache_alignment: z.number().int().nonnegative(),
  use_handshake: z.boolean(),
  initial_fill: z.number().int().min(0).max(255),
  guard_len: z.number().int().nonnegative().optional(),
  guard_fill: z.number().int().min(0).max(255).optional(),
  layout: pbufLayoutSchema,
  steps: z.array(pbufStepSchema),
});
export type PbufConfig = z.infer<typeof pbufConfigSchema>;

/** A config as listed in a file: named, with steps; its kind is told by name and fields. */
export const anyConfigSchema = z.looseObject({
  name: z.string(),
  steps: z.array(z.looseObject({ op: z.string() })).optional(),
});

export const pbufGoldenFileSchema = z.looseObject({
  format: z.literal('zephyr-pbuf-golden/1'),
  configs: z.array(anyConfigSchema),
});

export const icbmsgLayoutFileSchema = z.looseObject({
  format: z.literal('icbmsg-layout/1'),
  cases: z.array(z.looseObject({})),
});

/** ICMsg scenario configs are named `H_…` (README, "ICMsg scenario configs"). */
export const isIcmsgScenarioName = (name: string): boolean => name.startsWith('H_');

const unboundModeSchema = z.enum(['DISABLE', 'ENABLE', 'DETECT']);

export const icmsgSideStateSchema = z.looseObject({
  state: z.string(),
  local_sid: z.number().int(),
  remote_sid: z.number().int(),
  bound_calls: z.number().int(),
  unbound_calls: z.number().int(),
  received: z.number().int(),
  pending_doorbells: z.number().int(),
});
export type IcmsgSideState = z.infer<typeof icmsgSideStateSchema>;

export const icmsgInitialSideSchema = icmsgSideStateSchema.extend({
  tx_local_wr_idx: z.number().int(),
  rx_local_rd_idx: z.number().int(),
});

export const icmsgStepSchema = z.looseObject({
  i: z.number().int(),
  op: z.string(),
  side: z.enum(['A', 'B']),
  ret: z.number(),
  ret_name: z.string().optional(),
  data_hex: z.string().optional(),
  A: icmsgSideStateSchema,
  B: icmsgSideStateSchema,
  cache_ops: z.array(z.tuple([z.enum(['F', 'I']), z.number().int(), z.number().int(), z.number().int()])).optional(),
  region_AtoB_hex: z.string(),
  region_BtoA_hex: z.string(),
  received_hex: z.array(z.string()).optional(),
  dropped_hex: z.array(z.string()).optional(),
  note: z.string().optional(),
});
export type IcmsgStep = z.infer<typeof icmsgStepSchema>;

export const icmsgScenarioSchema = z.looseObject({
  name: z.string(),
  purpose: z.string().optional(),
  region_size: z.number().int().positive(),
  dcache_alignment: z.number().int().nonnegative(),
  use_handshake: z.boolean(),
  initial_fill: z.number().int().min(0).max(255),
  unbound_mode: z.object({ A: unboundModeSchema, B: unboundModeSchema }).optional(),
  use_handshake_by_side: z.object({ A: z.boolean(), B: z.boolean() }).optional(),
  initial_image: z.object({ AtoB_hex: z.string(), BtoA_hex: z.string() }).optional(),
  initial_state: z.object({ A: icmsgInitialSideSchema, B: icmsgInitialSideSchema }).optional(),
  steps: z.array(icmsgStepSchema),
});
export type IcmsgScenario = z.infer<typeof icmsgScenarioSchema>;
