"""Rewrite knowledge/data/vectors.npz, the package's seed of passage vectors for the bundled issue, so that a
fresh machine builds the store without embedding anything. Run it (`make vectors`) after a change to parsing,
passages, the embedding text or the lexicon; tests/test_semantic.py fails while the seed is stale."""
import json
import sys
import tempfile
from pathlib import Path

from knowledge.bridge import bridge_phrases
from knowledge.embedding import load_model
from knowledge.store import build_store, bundled_gazettes, open_store
from knowledge.vectors import export_seed

SEED = Path(__file__).resolve().parents[1] / "knowledge" / "data" / "vectors.npz"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "g.db"
        build_store(bundled_gazettes(), path, embed_progress=lambda d, t: print(f"\rembedding {d}/{t}", end="",
                                                                                 file=sys.stderr))
        db = open_store(path)
        passages = []
        for r in db.query("select * from passages order by id"):
            for k in ("units", "leaders", "co_units"):
                r[k] = json.loads(r[k] or "[]")
            passages.append(r)
        titles = {d["doc_number"]: d["short_title"] for d in db.query("select * from documents")}
        phrases, _ = bridge_phrases()
        written = export_seed(db, passages, titles, SEED, phrases, load_model())
        print(f"\n{written} vectors (passages and lexicon words) written to {SEED}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
