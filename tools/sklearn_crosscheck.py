#!/usr/bin/python3
"""Holds flowscope's k-means and MLP beside scikit-learn's on the same rows.

The rows are `flowscope train --dump-inputs` output: features already
preprocessed (standardised) by flowscope. Both sides see the same data and the
same split (test rows: group % 5 == 0). Passes when flowscope's k-means
inertia is within 1% of KMeans(n_init=10) (best of SEEDS seeds each) and its
MLP's mean test accuracy over SEEDS seeds is within 2 points of
MLPClassifier's with the same hidden layers.

    tools/sklearn_crosscheck.py INPUTS.csv CROSSCHECK_BINARY [K HIDDEN SEEDS]
"""
import subprocess
import sys

import numpy as np
from sklearn.cluster import KMeans
from sklearn.neural_network import MLPClassifier


def load(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    return data[:, 0].astype(int), data[:, 1].astype(int), data[:, 2:].astype(np.float32)


def main(inputs, binary, k=12, hidden="64,32", seeds=3):
    k, seeds = int(k), int(seeds)
    layers = tuple(int(w) for w in hidden.split(","))
    group, label, x = load(inputs)
    test = group % 5 == 0
    inertia = min(KMeans(n_clusters=k, n_init=10, random_state=s).fit(x).inertia_
                  for s in range(seeds))
    accuracy = np.mean([
        MLPClassifier(hidden_layer_sizes=layers, batch_size=200, max_iter=200,
                      random_state=s).fit(x[~test], label[~test]).score(x[test], label[test])
        for s in range(seeds)])
    out = subprocess.run([binary, inputs, str(k), hidden, str(seeds)], check=True,
                         capture_output=True, text=True).stdout
    ours = dict(line.split()[:2] for line in out.splitlines() if line.split()[0] in
                ("kmeans_inertia", "mlp_accuracy"))
    our_inertia, our_accuracy = float(ours["kmeans_inertia"]), float(ours["mlp_accuracy"])
    inertia_gap = abs(our_inertia - inertia) / inertia
    accuracy_gap = abs(our_accuracy - accuracy)
    print("k-means inertia: flowscope %.1f, scikit-learn %.1f (%.2f%% apart; limit 1%%)"
          % (our_inertia, inertia, 100 * inertia_gap))
    print("MLP test accuracy: flowscope %.4f, scikit-learn %.4f (%.2f points apart; limit 2)"
          % (our_accuracy, accuracy, 100 * accuracy_gap))
    return 0 if inertia_gap <= 0.01 and accuracy_gap <= 0.02 else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
