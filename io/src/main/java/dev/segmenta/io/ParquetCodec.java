package dev.segmenta.io;

import java.util.function.Supplier;

import io.airlift.compress.v3.Compressor;
import io.airlift.compress.v3.lz4.Lz4JavaCompressor;
import io.airlift.compress.v3.snappy.SnappyJavaCompressor;
import io.airlift.compress.v3.zstd.ZstdJavaCompressor;

/**
 * How {@link ParquetTableWriter} compresses its pages: the Parquet codecs that aircompressor
 * implements and every current reader (Arrow C++ and so pyarrow, Arrow Java, parquet-mr, Spark,
 * DuckDB) decodes. aircompressor's Java implementations are used, never its bundled native
 * libraries: a write then needs no native access, runs the same on every JVM and platform (a Spark
 * executor included), and cannot crash the process.
 */
enum ParquetCodec {
    /** pyarrow's default, and every reader's: fast, but increasing ids shrink only by half. */
    SNAPPY(1, SnappyJavaCompressor::new),
    /** Level 3, as pyarrow's Zstd: files 40% smaller than Snappy's, at about twice the CPU time. */
    ZSTD(6, ZstdJavaCompressor::new),
    /** A raw LZ4 block per page (LZ4_RAW, Parquet 2.9), not the deprecated Hadoop-framed LZ4. */
    LZ4_RAW(7, Lz4JavaCompressor::new);

    /**
     * The codec of the files Segmenta writes: Snappy, measured against the others on 10M assignments
     * (docs/benchmarks.md, "Writing Parquet"): Zstd's file was 0.6 times the size of Snappy's but
     * took 2.5 to 3.5 times pyarrow's CPU time to write; LZ4_RAW was as large as Snappy's and no
     * faster, and readers older than parquet-mr 1.13 or Arrow 9 cannot open it.
     */
    static final ParquetCodec DEFAULT = SNAPPY;

    /** The codec's number in parquet.thrift's CompressionCodec. */
    final int thriftId;
    private final Supplier<Compressor> compressor;

    ParquetCodec(int thriftId, Supplier<Compressor> compressor) {
        this.thriftId = thriftId;
        this.compressor = compressor;
    }

    /** A compressor for one writer (aircompressor's compressors keep state, so one per thread). */
    Compressor newCompressor() {
        return compressor.get();
    }
}
