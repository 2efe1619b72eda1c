"""Run the benchmarks: `python -m bench [--size full|tiny] [--only NAME,…]`."""

from bench.runner import main

if __name__ == "__main__":
    raise SystemExit(main())
