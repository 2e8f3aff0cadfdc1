"""Writes the Parquet files that BadInputTest and GoodInputTest read, as pyarrow writes them.

Run from this directory with pyarrow installed (these were made with pyarrow 25.0.1):
    python make.py
"""
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

ids = pa.array([1, 2, 3], pa.int64())

# Page checksums (CRC-32 of each page as stored); the tests flip a bit of the first spend value.
pq.write_table(pa.table({"customer_id": ids, "spend": pa.array([0.057, 2.0, 3.0])}), "checksums.parquet",
               write_page_checksum=True, compression="none")
# A codec Arrow's Java build lacks.
pq.write_table(pa.table({"customer_id": ids, "spend": pa.array([1.0, 2.0, 3.0])}), "brotli.parquet",
               compression="brotli")
# No rows: pyarrow writes one empty row group whose column chunks lie at offset 0.
pq.write_table(pa.table({"customer_id": pa.array([], pa.int64()), "spend": pa.array([], pa.float64())}),
               "no-rows.parquet")
pq.write_table(pa.Table.from_arrays([ids, pa.array([1.0, 2.0, 3.0]), pa.array([4.0, 5.0, 6.0])],
                                    names=["customer_id", "spend", "spend"]), "duplicate-names.parquet")
# FLOAT16 logical type on FIXED_LEN_BYTE_ARRAY(2).
pq.write_table(pa.table({"customer_id": ids, "spend": pa.array(np.array([1.5, -2.0, 65504.0], np.float16))}),
               "float16.parquet")
# Unsigned integers at the top of their range: UINT_8 to UINT_64 logical types; a uint64 id of 2^64 - 1.
pq.write_table(pa.table({
    "customer_id": pa.array([2**64 - 1, 2**63, 7], pa.uint64()),
    "u8": pa.array([255, 0, 1], pa.uint8()),
    "u16": pa.array([65535, 0, 1], pa.uint16()),
    "u32": pa.array([2**32 - 1, 0, 1], pa.uint32()),
    "u64": pa.array([10**19, 2**63, 1], pa.uint64()),
}), "unsigned.parquet")
# Transactions: a uint64 id and amount at the top of their range; a time in seconds beyond the
# microseconds a long holds (10^13 s is 317,000 years from 1970).
pq.write_table(pa.table({
    "customer_id": pa.array([2**64 - 1, 1], pa.uint64()),
    "timestamp": pa.array([1_700_000_000, 10**13], pa.timestamp("s")),
    "amount": pa.array([10**19, 5], pa.uint64()),
}), "transactions-unsigned.parquet")
# The lean decoder's cases (ParquetPageDecoder): 3,000 rows in row groups of 1,000, pages of about 1 KB;
# a double, a float with a null every 7th row, a dictionary-encoded int32; data pages v2 with zstd, and
# v1 with snappy. Row i holds customer_id 3i, x = i/4, y = i (null where i % 7 == 0), k = i % 5.
n = 3000
pages = pa.table({
    "customer_id": pa.array(np.arange(n, dtype=np.int64) * 3),
    "x": pa.array(np.arange(n) / 4.0),
    "y": pa.array(np.arange(n, dtype=np.float32), mask=np.arange(n) % 7 == 0),
    "k": pa.array((np.arange(n) % 5).astype(np.int32)),
})
pq.write_table(pages, "pages-v2-zstd.parquet", data_page_version="2.0", compression="zstd", row_group_size=1000,
               data_page_size=1024)
pq.write_table(pages, "pages-v1-snappy.parquet", compression="snappy", row_group_size=1000, data_page_size=1024)
