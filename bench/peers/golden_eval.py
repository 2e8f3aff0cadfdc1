#!/usr/bin/env python3
"""Golden values for Segmenta's evaluation tests, computed by scikit-learn on small data.

    bench/peers/.venv/bin/python bench/peers/golden_eval.py > engine/src/test/resources/dev/segmenta/engine/eval/golden.json

Every dataset is generated here with a fixed seed, rounded to float32 (what Segmenta reads) and stored
in the JSON beside scikit-learn's answers on exactly those values (in float64), so the Java tests need
no Python. Labels are given as Segmenta would hold them, 0..k-1, and may leave a segment empty.
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.decomposition import PCA
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_samples, silhouette_score


def blobs(rng, centres, per, spread):
    points, labels = [], []
    for j, (c, n) in enumerate(zip(centres, per)):
        points.append(rng.normal(c, spread, size=(n, len(c))))
        labels += [j] * n
    return np.vstack(points), np.array(labels)


def case(name, x, labels, k):
    x = x.astype(np.float32)
    x64 = x.astype(np.float64)
    present = np.unique(labels)
    entry = {
        "name": name,
        "k": k,
        "points": x.tolist(),
        "labels": labels.tolist(),
        "silhouette": float(silhouette_score(x64, labels)),
        "silhouetteSamples": silhouette_samples(x64, labels).tolist(),
        "calinskiHarabasz": float(calinski_harabasz_score(x64, labels)),
        "daviesBouldin": float(davies_bouldin_score(x64, labels)),
    }
    assert len(present) >= 2
    pca = PCA(svd_solver="full").fit(x64)
    entry["pca"] = {
        "mean": pca.mean_.tolist(),
        "components": pca.components_.tolist(),
        "explainedVariance": pca.explained_variance_.tolist(),
        "explainedVarianceRatio": pca.explained_variance_ratio_.tolist(),
        "projected": pca.transform(x64[:5]).tolist(),
    }
    return entry


def main():
    rng = np.random.default_rng(20240611)
    cases = []
    x, y = blobs(rng, [[0, 0], [6, 1], [2, 7]], [40, 25, 35], 1.3)
    cases.append(case("three 2-d blobs", x, y, 3))
    x, y = blobs(rng, [[0, 0, 0, 0, 0], [4, 4, 0, 0, 1], [0, 4, 4, 1, 0], [3, 0, 3, 3, 3]], [60, 50, 45, 45], 1.5)
    cases.append(case("four overlapping 5-d blobs", x, y, 4))
    # Segment 1 is empty and segment 3 holds one customer: both are special cases of every metric.
    x, y = blobs(rng, [[1, 1, 1], [9, 9, 9], [20, 0, 5]], [30, 30, 1], 2.0)
    y = np.where(y == 1, 2, np.where(y == 2, 3, 0))
    cases.append(case("empty and singleton segments", x, y, 4))
    # Correlated features with a large offset: PCA must centre accurately.
    base = rng.normal(size=(150, 1))
    x = np.hstack([base * 3 + 1000, base * -2 + rng.normal(scale=0.5, size=(150, 1)) + 1000,
                   rng.normal(scale=0.2, size=(150, 1)) + 50, rng.normal(size=(150, 1))])
    y = (x[:, 0] > 1000).astype(int)
    cases.append(case("correlated features with a large offset", x, y, 2))
    json.dump({"generator": "bench/peers/golden_eval.py", "sklearn": sklearn.__version__, "cases": cases},
              sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
