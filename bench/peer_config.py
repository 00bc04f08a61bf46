#!/usr/bin/python3
"""The PyTorch peer's configuration, and a refusal to benchmark it on the reference BLAS.

Debian 12's python3-torch (PyTorch 1.13) is built with BLAS_INFO=generic: it calls whatever libblas.so.3 the
Debian alternative `libblas.so.3-x86_64-linux-gnu` points to. With only libblas3 installed that is netlib's reference
BLAS (a 1024x1024 float32 matmul in ~364 ms, 6 GFLOP/s), which makes every Linear layer of the peer several times
slower than it should be; with libopenblas0-pthread installed the alternative points to OpenBLAS (21-27 ms). A
comparison against the first is not fair, so every benchmark that runs PyTorch calls require_fast_blas() first and
records config_line() next to its results.

    /usr/bin/python3 bench/peer_config.py [--threads N] [--memory-format NAME]
prints the PEER line and the BLAS kind; exit status 0 on a fast BLAS, 3 on the reference one (for CI and the shell
benchmarks). Set FMB_ALLOW_REFERENCE_BLAS=1 to run anyway (a warning instead of the refusal), e.g. to measure the
slow configuration on purpose.

Note: use /usr/bin/python3 (Debian's, which has python3-torch), not a `python3` that PATH may resolve elsewhere.
"""
import ctypes
import os
import re
import sys

import torch

ALLOW_VARIABLE = "FMB_ALLOW_REFERENCE_BLAS"
FIX_PACKAGE = "libopenblas0-pthread"


class _DlInfo(ctypes.Structure):
    _fields_ = [("dli_fname", ctypes.c_char_p), ("dli_fbase", ctypes.c_void_p),
                ("dli_sname", ctypes.c_char_p), ("dli_saddr", ctypes.c_void_p)]


def loaded_blas():
    """Real path of the shared object whose sgemm_ PyTorch calls, or None if no loaded library exports one (e.g. MKL
    linked into torch statically, as in pip wheels).

    Not simply the first libblas/libopenblas in /proc/self/maps: with the libblas.so.3 alternative on the reference
    BLAS but liblapack.so.3 on OpenBLAS (libopenblas0-pthread installed, libblas set back by hand), both are mapped,
    and libtorch_cpu binds sgemm_ to the reference one (listed before liblapack.so.3 among its dependencies). So ask
    the dynamic linker, as it resolves libtorch_cpu's references: the global scope first, then libtorch_cpu's own
    dependencies; dladdr names the file that defines the symbol found."""
    # libtorch_cpu links libblas.so.3 at load time; one tiny matmul makes sure a lazily loaded BLAS is mapped too.
    torch.mm(torch.ones(2, 2), torch.ones(2, 2))
    libc = ctypes.CDLL(None)
    libc.dlsym.restype, libc.dlsym.argtypes = ctypes.c_void_p, [ctypes.c_void_p, ctypes.c_char_p]
    libc.dladdr.argtypes = [ctypes.c_void_p, ctypes.POINTER(_DlInfo)]
    handles = [None]  # RTLD_DEFAULT
    with open("/proc/self/maps") as maps:
        torch_cpu = next((line.split()[-1] for line in maps if "/libtorch_cpu" in line), None)
    if torch_cpu:
        handles.append(ctypes.CDLL(torch_cpu, mode=os.RTLD_NOLOAD | os.RTLD_LAZY)._handle)
    for handle in handles:
        address, info = libc.dlsym(handle, b"sgemm_"), _DlInfo()
        if address and libc.dladdr(address, ctypes.byref(info)):
            # Alternatives are symlinks (/usr/lib/x86_64-linux-gnu/libblas.so.3 -> ...): name the file really loaded.
            return os.path.realpath(info.dli_fname.decode())
    return None


def blas_kind(path):
    """'openblas', 'reference' (netlib, e.g. /usr/lib/x86_64-linux-gnu/blas/libblas.so.3), 'mkl', 'blis', ...
    ('builtin' when no loaded library exports sgemm_)."""
    if path is None:
        return "builtin"
    lowered = path.lower()
    for kind in ("openblas", "mkl", "blis", "atlas", "flexiblas"):
        if kind in lowered:
            return kind
    # Debian's netlib package installs plain libblas.so.3.* files (the atlas one is caught above by its folder).
    if os.path.basename(lowered).startswith("libblas.so"):
        return "reference"
    return os.path.basename(path)


def require_fast_blas():
    """Exits with status 3 and an explanation when PyTorch would run on the reference BLAS, unless
    FMB_ALLOW_REFERENCE_BLAS=1."""
    path = loaded_blas()
    if blas_kind(path) != "reference":
        return
    if os.environ.get(ALLOW_VARIABLE) == "1":
        print(f"warning: PyTorch runs on the reference BLAS ({path}); {ALLOW_VARIABLE}=1 lets it.", file=sys.stderr)
        return
    print(f"PyTorch is using the reference (netlib) BLAS: {path}. Debian's python3-torch calls whatever "
          f"libblas.so.3 the alternative points to, and this one runs a float32 matmul at about 6 GFLOP/s, so the "
          f"peer's Linear layers would be several times slower than PyTorch really is and the comparison would be "
          f"unfair. Fix: `sudo apt-get install {FIX_PACKAGE}` (Debian's alternative libblas.so.3-x86_64-linux-gnu "
          f"then points to OpenBLAS; if it was set by hand, `sudo update-alternatives --config "
          f"libblas.so.3-x86_64-linux-gnu`). To run anyway, set {ALLOW_VARIABLE}=1.", file=sys.stderr)
    sys.exit(3)


def onednn_version():
    """oneDNN version from torch.__config__.show(): 'Intel(R) MKL-DNN v2.6.3' in 1.13, '... (oneDNN) v3.x' later."""
    match = re.search(r"(?:MKL-DNN|oneDNN\)?)\s+(v\d[\w.]*)", torch.__config__.show())
    if match:
        return match.group(1)
    return "unknown" if torch.backends.mkldnn.is_available() else "none"


def describe():
    path = loaded_blas()
    return {"torch": torch.__version__, "blas": blas_kind(path), "blas_path": path or "none",
            "onednn": onednn_version(), "threads": torch.get_num_threads()}


def config_line(**extra):
    """One line for benchmark logs: `PEER torch=1.13.0a0 blas=openblas:/usr/lib/... onednn=v2.6.3 threads=2`, plus
    any extra key=value (e.g. memory_format=channels_last); spaces in values become '_' so that the line splits on
    spaces."""
    info = describe()
    fields = {"torch": info["torch"], "blas": f"{info['blas']}:{info['blas_path']}", "onednn": info["onednn"],
              "threads": info["threads"], **extra}
    return "PEER " + " ".join(f"{key}={str(value).replace(' ', '_')}" for key, value in fields.items())


def main():
    import argparse
    parser = argparse.ArgumentParser(description="Print the PyTorch peer's PEER line; exit 3 on the reference BLAS.")
    parser.add_argument("--threads", type=int, help="torch.set_num_threads first (as the benchmark will)")
    parser.add_argument("--memory-format", help="appended as memory_format=NAME")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    extra = {"memory_format": args.memory_format} if args.memory_format else {}
    print(config_line(**extra))
    print(f"BLAS kind: {blas_kind(loaded_blas())}", flush=True)
    require_fast_blas()


if __name__ == "__main__":
    main()
