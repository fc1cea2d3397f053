"""Child process of runner.py: one Pelican build, then its time and peak memory as JSON."""

import json
import resource
import sys
import time

settings = sys.argv[1]
start = time.perf_counter()
from pelican import main  # noqa: E402  (the import is part of the build's cost)

main(["-s", settings, "-q", *sys.argv[2:]])
seconds = time.perf_counter() - start
print(
    json.dumps(
        {
            "seconds": seconds,
            "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            "worker_peak_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
            "matplotlib": "matplotlib" in sys.modules,
        }
    )
)
