/**
 * src/archive: tar reading and writing, compression and streaming digests. Every layer and
 * archive byte imgslim reads or writes passes through here.
 */
export * from './types.js';
export { TarParser } from './tar-parser.js';
export { indexTarFile, readFileRange, readFileRangeSync } from './tar-file.js';
export { sniffCompression, peekStream, SNIFF_BYTES, type Compression, type SniffedCompression } from './peek.js';
export { decompressStream, compressStream } from './compression.js';
export { createInflater, ReusedSpace, ArenaSpace, type Inflater, type OutputSpace } from './inflate.js';
export { SniffingInflater } from './sniffing-inflater.js';
export { CheckpointMiss, CheckpointRecorder, ResumedInflater, resumeByte, type GzipCheckpoint } from './gzip-checkpoints.js';
export { Digester, StreamVerifier, verifyStream, parseDigest, type DigestAlgorithm } from './digest.js';
export { encodeSparseMap, encodeTarHeaders, tarPadding, TAR_END, TarWriter } from './tar-writer.js';
export { prestartWorkers, takeWorkers, WorkerPool, workersAvailable, type FileSource, type StreamSource } from './worker-pool.js';
export type { ByteTask, ByteTaskModule } from './worker-protocol.js';
