"""Trains the linker's reranking model (crates/accord-link/src/rerank.rs).

Reads the candidate rows the chains harness writes (ACCORD_CHAINS_TRAIN),
reports what the model would do on sets it was not trained on (10-fold,
whole sets held out, so no writer's style is seen twice), then fits on
every set and writes rerank.model. Run by `make train-linker`.

    python3 train.py ROWS.tsv OUT.model

Pinned: scikit-learn 1.9.1 (the Makefile installs it into .tools/train).
"""

import sys
from collections import defaultdict

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold

# Column order of rerank::rows (the Rust side is the truth).
NAMES = (
    ["confidence", "reference", "cue_strength"]
    + ["outcome_" + o for o in ("reaffirmed", "in_progress", "fulfilled", "superseded", "not_fulfilled", "reversed")]
    + ["kind_" + k for k in ("action", "cooperation", "stance", "meeting")]
    + ["shared_names", "shared_words", "back_reference", "parties", "months", "made_at_absent",
       "committers_absent", "evidence", "sentences", "committers", "sentence_words", "rules_linked",
       "reference_to_best", "sentence_rivals", "sentence_better", "confidence_to_best",
       "commitment_rivals", "commitment_better"]
    + ["overlap", "back", "visit", "money", "thing", "rare_name", "name_df", "counterparts_away",
       "ordinal_clash", "named_apart", "meeting_fit", "locality", "cueless", "kindred", "information",
       "clauses", "share", "extraction_confidence", "context_name"]
)
CONFIDENCE, LINKED = 0, NAMES.index("rules_linked")
APPLY_AT, PROPOSE_AT = 0.7, 0.5  # lib.rs
KEEP_AT, ADD_AT = 0.45, 0.6  # rerank::KEEP_AT, rerank::ADD_AT


def model():
    return HistGradientBoostingClassifier(
        max_iter=100, learning_rate=0.1, max_leaf_nodes=7, min_samples_leaf=30, random_state=0
    )


def links(keys, chance, X, keep, add):
    """What lib.rs `reranked` links: the rules' applied links, their proposals
    the model gives `keep`, other commitments whose likeliest pair it gives `add`."""
    best = {}
    for k, p, x in zip(keys, chance, X):
        if x[LINKED] == 1 and (x[CONFIDENCE] >= APPLY_AT or p >= keep):
            p = 2.0
        elif x[LINKED] == 0 and x[CONFIDENCE] < PROPOSE_AT:
            p = 0.0  # only pairs the rules found plausible are added
        best[k] = max(best.get(k, -1.0), p)
    return {k for k, p in best.items() if p >= add}


def walk(path, x, cache={}):
    if path not in cache:
        base, trees = 0.0, defaultdict(list)
        for line in open(path):
            f = line.split()
            if f[0] == "base":
                base = float(f[1])
            else:
                trees[int(f[0])].append(f[2:])
        cache[path] = (base, [trees[t] for t in sorted(trees)])
    base, trees = cache[path]
    raw = base
    for tree in trees:
        at = 0
        while tree[at][0] == "split":
            _, column, threshold, left, right = tree[at]
            at = int(left) if x[int(column)] <= float(threshold) else int(right)
        raw += float(tree[at][1])
    return 1.0 / (1.0 + np.exp(-raw))


def main(rows_path, out_path):
    lines = [line.rstrip("\n").split("\t") for line in open(rows_path)]
    gold_total = sum(int(r[3]) for r in lines if r[0] == "#gold")
    rows = [r for r in lines if r[0] != "#gold"]
    keys = [(r[0], r[1], r[2]) for r in rows]
    y = np.array([int(r[4]) for r in rows])
    X = np.array([[float(v) for v in r[5:]] for r in rows])
    assert X.shape[1] == len(NAMES), f"{X.shape[1]} columns, expected {len(NAMES)}"
    groups = np.array([r[0] for r in rows])
    positive = {k for k, label in zip(keys, y) if label}

    held_out = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=10).split(X, y, groups):
        held_out[test] = model().fit(X[train], y[train]).predict_proba(X[test])[:, 1]
    print(f"{len(rows)} candidate pairs, {len(set(groups))} sets, {gold_total} gold links")
    rules = links(keys, np.zeros(len(y)), X, 0.0, 2.0)
    for name, kept in [("the rules alone", {k for k, x in zip(keys, X) if x[LINKED] == 1})] + [
        (f"keep at {keep:.2f}, add at {add:.2f}", links(keys, held_out, X, keep, add))
        for keep, add in [(0.5, 0.5), (0.55, 0.55), (KEEP_AT, ADD_AT), (0.6, 0.6)]
    ]:
        right = len(kept & positive)
        print(f"  held-out sets, {name}: recall {right / gold_total:.3f} precision {right / max(1, len(kept)):.3f}")

    final = model().fit(X, y)
    with open(out_path, "w") as out:
        out.write(f"base {float(np.ravel(final._baseline_prediction)[0])!r}\n")
        for t, (tree,) in enumerate(final._predictors):
            for n, node in enumerate(tree.nodes):
                if node["is_leaf"]:
                    out.write(f"{t} {n} leaf {float(node['value'])!r}\n")
                else:
                    out.write(f"{t} {n} split {int(node['feature_idx'])} {float(node['num_threshold'])!r} "
                              f"{int(node['left'])} {int(node['right'])}\n")
    # The file must say what the fitted model says: walk it as rerank.rs does.
    walked = np.array([walk(out_path, x) for x in X[:500]])
    fitted = final.predict_proba(X[:500])[:, 1]
    assert np.abs(walked - fitted).max() < 1e-4, np.abs(walked - fitted).max()
    print(f"wrote {out_path}: {len(final._predictors)} trees")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
