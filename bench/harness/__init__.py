"""The benchmark harness behind bench/run.sh: measures each figure against the sandbox on
loopback, alternating our side and the baseline, and writes the table."""
