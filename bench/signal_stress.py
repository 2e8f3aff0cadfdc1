#!/usr/bin/env python3
"""Sends SIGINT (or SIGTERM) to a segmenta command at a random moment of its work, many times over,
and reports how each run ended and how long it took to stop after the signal.

A run starts the command, waits until a line of its stderr contains --ready (progress it prints once
the work is under way, e.g. "read " for a reader), sleeps a random --min-delay + [0, --max-delay)
seconds, sends the signal (twice, 50-300 ms apart, with --twice) and waits for the exit. A run
passes when it exits with 130 (SIGINT) or 143 (SIGTERM) and its stderr carries the command's own
"interrupted; ..." / "terminated; ..." line, i.e. the work stopped at a check and not by the 5 s
deadline. Runs that end before the signal are reported as such. Exit status: 0 if every signalled
run passed, 1 otherwise.

    bench/signal_stress.py --runs 16 --ready "read " --max-delay 0.8 -- \\
        ./segmenta rfm -t tx.parquet -o /tmp/rfm.parquet

(docs/architecture.md, "Interrupts", has the runs this measured.)
"""
import argparse
import random
import signal
import subprocess
import sys
import time

EXPECTED = {"INT": (130, "interrupted; "), "TERM": (143, "terminated; ")}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=12)
    parser.add_argument("--signal", choices=sorted(EXPECTED), default="INT")
    parser.add_argument("--ready", required=True, help="stderr text that says the work is under way")
    parser.add_argument("--min-delay", type=float, default=0.0, help="seconds after --ready, at least")
    parser.add_argument("--max-delay", type=float, default=1.0, help="random seconds added to --min-delay")
    parser.add_argument("--twice", action="store_true", help="send the signal a second time, 50-300 ms later")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command to run")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")
    code, line = EXPECTED[args.signal]
    sig = getattr(signal, "SIG" + args.signal)
    outcomes, stops, failed = [], [], 0
    for run in range(args.runs):
        # A shell's background jobs ignore SIGINT; the child gets the default disposition back.
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                 preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        seen = b""
        for raw in child.stderr:
            seen += raw
            if args.ready.encode() in raw:
                break
        time.sleep(args.min_delay + random.random() * args.max_delay)
        sent = time.monotonic()
        if child.poll() is not None:
            outcomes.append("done before the signal")
            child.wait()
            continue
        child.send_signal(sig)
        if args.twice:
            time.sleep(0.05 + random.random() * 0.25)
            if child.poll() is None:
                child.send_signal(sig)
        err = (seen + child.stderr.read()).decode(errors="replace")
        rc = child.wait()
        stops.append(time.monotonic() - sent)
        ok = rc == code and line in err
        failed += not ok
        outcomes.append(rc)
        if not ok:
            print(f"run {run}: exit {rc}, stderr ends: {err[-600:]!r}", file=sys.stderr)
    print("exit codes:", outcomes)
    if stops:
        stops.sort()
        print(f"stopped after the signal in {stops[len(stops) // 2]:.2f} s (median), {stops[-1]:.2f} s (max); "
              f"{len(stops) - failed} of {len(stops)} signalled runs passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
