/**
 * The core's public surface: what src/app and src/runtime use. Pure TypeScript, no DOM, no Node,
 * no time or randomness of its own (DESIGN.md §2).
 */
export { ZEPHYR_ERRNO, errnoFromZephyr, formatResult, isErrno, type Errno, type Result } from './errno';
export { fail, ok, type ConfigIssue, type Outcome } from './outcome';
export { fromHex, toHex } from './hex';
export {
  DEFAULT_SHARED_RAM_BASE,
  MemoryMap,
  type MemoryMapSpec,
  type Region,
  type RegionSpec,
  type VirtualAddress,
} from './shm/MemoryMap';
export { MemoryView, type CacheOp, type MemoryObserver, type SharedMemoryAccess } from './shm/MemoryView';
export {
  PBUF_IDX_SIZE,
  PBUF_MAX_PACKET_LEN,
  PBUF_MIN_DATA_LEN,
  PBUF_PACKET_LEN_SZ,
  Pbuf,
  pbufCfgInit,
  pbufDefineAsserts,
  pbufHeaderOverhead,
  pbufOccupied,
  pbufWrap,
  validatePbufCfg,
  type InitialBuf,
  type PbufCfg,
  type PbufMode,
  type PbufObserver,
} from './shm/pbuf';
export {
  PbufByteClass,
  classifyPbufBytes,
  inspectPbuf,
  type PbufByteMap,
  type PbufInspection,
  type PbufPacketView,
  type PbufProblem,
  type PbufSegment,
} from './shm/pbufInspect';
export {
  fieldPathAt,
  fieldPathById,
  flattenFields,
  pbufFieldTree,
  type ByteRange,
  type PbufField,
  type PbufFieldKind,
  type PbufFieldOptions,
  type PbufFieldTree,
} from './shm/pbufFields';
export { createPbufPair, type PbufPair, type PbufPairSpec } from './shm/pbufPair';
export { MessageIds, NULL_SINK, TraceLog, type TraceSink } from './trace/Tracer';
export type { BlockUse, IpcCallback, TraceBody, TraceEvent, TraceKind } from './trace/events';
export { Random, type RandomState } from './sim/Random';
export { Domain, type TaskBody, type TaskNext } from './sim/Domain';
export { DEFAULT_MAILBOX_TIMING, Mailbox, type MailboxTiming } from './sim/Mailbox';
export {
  DEFAULT_QUANTUM_NS,
  DEFAULT_STEP_COSTS,
  DomainHalted,
  Simulation,
  type AssertMode,
  type Decision,
  type Kernel,
  type SimulationOptions,
  type SimulationSnapshot,
  type StepCosts,
  type StepOutcome,
} from './sim/Simulation';
export { Timeline, type ForcedDecision, type RecordedAction, type TimelineOptions } from './sim/Timeline';
export * as ipc from './ipc/ipcService';
export type {
  EndpointConfig,
  IpcBackend,
  IpcEndpoint,
  IpcInstance,
  IpcServiceCallbacks,
  Timeout,
  TxBufferGrant,
} from './ipc/types';
export { createEndpoint } from './ipc/types';
export { Icmsg, type IcmsgSnapshot } from './backends/icmsg/Icmsg';
export { IcmsgLegacy } from './backends/icmsg/IcmsgLegacy';
export { IcmsgBackend } from './backends/icmsg/IcmsgBackend';
export {
  Icbmsg,
  type BlockOwner,
  type EptData,
  type EptReboundState,
  type EptState,
  type IcbmsgConfig,
} from './backends/icbmsg/Icbmsg';
export { BlockAllocator, type BlockGrant } from './backends/icbmsg/blocks';
export {
  EPT_REBOUND_STATES,
  EPT_STATES,
  eptTransition,
  icbmsgEptMachine,
  type IcbmsgEptEvent,
} from './backends/icbmsg/icbmsgEptMachine';
export {
  ICBMSG_INSTANCE_STATES,
  icbmsgInstanceMachine,
  type IcbmsgInstanceState,
} from './backends/icbmsg/icbmsgInstanceMachine';
export {
  CONTROL_TYPES,
  decodeControl,
  encodeControl,
  type ControlMessage,
  type ControlType,
} from './backends/icbmsg/control';
export {
  BLOCK_HEADER_SIZE,
  BYTES_PER_ICMSG_MESSAGE,
  icbmsgLayout,
  type IcbmsgLayout,
  type IcbmsgLayoutInput,
} from './backends/icbmsg/layout';
export {
  type IcmsgCallbacks,
  type IcmsgConfig,
  type IcmsgCounters,
  DEFAULT_RX_BUFFER_SIZE,
} from './backends/icmsg/IcmsgBase';
export {
  icmsgMachine,
  nextLocalSid,
  type IcmsgEvent,
  type IcmsgMachine,
  type IcmsgMachineContext,
} from './backends/icmsg/icmsgMachine';
export {
  icmsgLegacyMachine,
  type IcmsgLegacyEvent,
  type IcmsgLegacyMachine,
} from './backends/icmsg/icmsgLegacyMachine';
export {
  ICMSG_MAGIC,
  ICMSG_STATES,
  icmsgUsesHandshake,
  ICMSG_LEGACY_STATES,
  type IcmsgState,
  type IcmsgLegacyState,
  type UnboundMode,
} from './backends/icmsg/icmsgWire';
export { createIcmsgPair, type IcmsgPair, type IcmsgPairSpec } from './backends/icmsg/icmsgPair';
export {
  SCENARIO_VERSION,
  scenarioSchema,
  type BehaviourSpec,
  type EndpointSpec,
  type IcbmsgNodeSpec,
  type IcmsgNodeSpec,
  type InstanceSpec,
  type Scenario,
  type ScenarioInput,
} from './scenario/schema';
export { parseScenario } from './scenario/parse';
export {
  ICBMSG_NOCOPY_HOLD,
  ICBMSG_THREE_ENDPOINTS,
  icbmsgScenario,
  type IcbmsgScenarioOptions,
} from './scenario/presets/icbmsg';
export { buildWorld, type BuildOptions, type BuiltInstance, type World } from './scenario/build';
export { EndpointRunner, type EndpointPhase, type ManualCommand } from './scenario/EndpointRunner';
export { applyUserAction, type UserAction } from './scenario/userAction';
export { type EndpointStats, MAX_IN_FLIGHT, rttPercentileNs } from './scenario/endpointStats';
export { checkPayload, makePayload } from './scenario/payload';
export {
  ICMSG_BACKPRESSURE,
  ICMSG_ECHO_500,
  ICMSG_HELLO,
  ICMSG_PING_ECHO,
  icmsgScenario,
  type IcmsgScenarioOptions,
} from './scenario/presets/icmsg';
export { channelsOf, populate, type Platform, type Population } from './scenario/populate';
export { clearLibipcArea, createScenarioMemory } from './scenario/build';
export { FIELDS, KINDS, TraceDecoder, TraceEncoder, TYPICAL_RECORD_WORDS, type DecodedRecord } from './trace/codec';
export { initRing, RING_HEADER_WORDS, ringCapacityFor, RingReader, ringWords, RingWriter } from './trace/ring';
export { SeqMerger } from './trace/SeqMerger';
export { TraceStore, type TraceStoreOptions } from './trace/TraceStore';
export { decodeUtf8, encodeUtf8 } from './utf8';
export { type RegionBlocksLayout, type RegionLayout, regionLayouts } from './scenario/regionLayout';
export {
  DOMAIN_FAULTS,
  DOORBELL_FAULTS,
  FAULT_FIELDS,
  FAULT_KINDS,
  MEMORY_FAULTS,
  faultSchema,
  isDoorbellFault,
  isPortSendFault,
  PORT_FAULTS,
  CHANNEL_FAULTS,
  PORT_SEND_FAULTS,
  type Fault,
  type FaultField,
  type FaultInput,
  type FaultKind,
} from './faults/schema';
export { checkTrace, InvariantChecker, type Violation } from './faults/invariants';
export { FaultInjector } from './faults/FaultInjector';
export { FAULT_PRESETS, type FaultPreset } from './scenario/presets/faults';
export { applyMemoryFault, locateField } from './faults/memoryFault';
export { isBuildFault } from './faults/schema';
export { DataCache, type DataCacheSnapshot } from './shm/DataCache';
export {
  base64url,
  decodeShareLink,
  encodeShareLink,
  fromBase64url,
  MAX_INFLATED_BYTES,
  MAX_LINK_CHARS,
  type SharedScenario,
} from './scenario/share';
export { toPerfetto, type PerfettoEvent, type PerfettoTrace } from './trace/perfetto';
export { doorbellEffect, type DoorbellEffect } from './faults/doorbell';
export { parseDts, scenarioFromDevicetree, type DtNode, type DtValue } from './scenario/devicetree';
export {
  ARM_EABI_TYPES,
  layoutStruct,
  parseFieldDecl,
  type CType,
  type FieldDecl,
  type StructLayout,
} from './ports/cLayout';
export {
  AUTH_VALUES,
  formatIssue,
  layoutPorts,
  parsePortDefinition,
  type DefinitionIssue,
  type PortDefinition,
} from './ports/definition';
export {
  layoutJson,
  portHeader,
  portTags,
  protoTagName,
  structTagName,
  typescriptModule,
  type Tag,
} from './ports/generate';
export { planArea, structTag, type AreaPlan, type PoolPlan, type PortPlan } from './ports/area';
export { LibIpc, libipcChannel, type IpcRef, type Received } from './ports/LibIpc';
export { libipcChannels, populatePorts, type PortsPopulation } from './ports/build';
export { decodeStruct, encodeStruct, type DecodedField, type FieldValue } from './ports/structCodec';
export {
  DEFAULT_PORT_DEPTH,
  IPC_TEST_POOL,
  libipcSchema,
  type IpcTimeout,
  type LibipcSpec,
  type PortTaskBehaviour,
  type PortTaskSpec,
} from './ports/schema';
export type { PortOp } from './trace/events';
export {
  LIBIPC_BY_REFERENCE,
  LIBIPC_BY_REFERENCE_FIXED,
  LIBIPC_POWER_OFF_RESET,
  LIBIPC_PROTO_STALE,
  LIBIPC_TWO_CORES,
  LIBIPC_UI_POLLING,
} from './scenario/presets/libipc';
export {
  CHANNELS_ANCKOR_PING,
  CHANNELS_ANCKOR_TWO_SENDERS,
  CHANNELS_CLIENT_SERVER,
  CHANNELS_DEADLOCK,
  CHANNELS_PRIORITY_INHERITANCE,
  CHANNELS_PRIORITY_INVERSION,
  CHANNELS_SERVER_RESTART,
  MAGIC_WORD,
  MAGIC_WORD_2,
} from './scenario/presets/channels';
export { ChannelKernel, FAST_PATH_BYTES, FIRST_DEAD_CODE, MAX_CHANNELS } from './channels/ChannelKernel';
export { channelsSchema, type ChannelsSpec, type ChannelTaskSpec } from './channels/schema';
export type { ChannelOp, ChannelTaskState } from './trace/events';
