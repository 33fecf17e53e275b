"""`python -m bench [--small]`: run the benchmarks and write bench/results.md (a small run writes
bench/results-small.md, so it never replaces the full run's figures)."""
import argparse
import sys
from pathlib import Path

from bench.browser import chromium_or_problem
from bench.run import main

parser = argparse.ArgumentParser(prog="python -m bench", description="性能基准（与同次运行中测得的下限之比）")
parser.add_argument("--small", action="store_true", help="小规模数据，用于测试")
parser.add_argument("-o", "--output", help="结果文件（默认 bench/results.md，小规模为 bench/results-small.md）")
args = parser.parse_args()
output = Path(args.output or Path(__file__).resolve().parent / ("results-small.md" if args.small else "results.md"))
_, problem = chromium_or_problem()
if problem:  # say so before minutes of building data, not after
    sys.exit(f"python -m bench: {problem}")
for figure in main(args.small, output):
    print(figure.summary())
