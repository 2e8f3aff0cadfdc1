"""Copies a customers file with gaps and repeats, to exercise fit's preparation at scale.

    gaps.py IN OUT [--missing 0.01] [--repeats 0.02] [--seed 1]

Blanks (nulls) a --missing fraction of every feature cell (not customer_id, not true_segment) and appends
a --repeats fraction of the rows again (the same customer ids, drawn at random) at the end, as an export
that appends updated records would. Written as Parquet with pyarrow.
"""
import argparse

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

parser = argparse.ArgumentParser()
parser.add_argument("source")
parser.add_argument("target")
parser.add_argument("--missing", type=float, default=0.01)
parser.add_argument("--repeats", type=float, default=0.02)
parser.add_argument("--seed", type=int, default=1)
args = parser.parse_args()

rng = np.random.default_rng(args.seed)
table = pq.read_table(args.source)
repeated = table.take(pa.array(rng.choice(table.num_rows, int(table.num_rows * args.repeats), replace=False)))
table = pa.concat_tables([table, repeated])
columns = []
for name in table.column_names:
    column = table.column(name)
    if name not in ("customer_id", "true_segment"):
        blank = pa.array(rng.random(table.num_rows) < args.missing)
        column = pc.if_else(blank, pa.scalar(None, column.type), column)
    columns.append(column)
pq.write_table(pa.table(columns, names=table.column_names), args.target, row_group_size=131072)
print(f"{args.target}: {table.num_rows} rows, {repeated.num_rows} repeated, {args.missing:.1%} of feature cells blank")
