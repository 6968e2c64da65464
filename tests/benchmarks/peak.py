"""The peak memory of a probe process, as the probe itself reports it.

On Linux, `ru_maxrss` of a child started from the benchmark also counts the memory the benchmark had when it
forked (the high-water mark is kept across exec), so every probe asks /proc for VmHWM, its own image's peak,
first. Prepend `PEAK_MB_SOURCE` to a probe's source and call `peak_mb()` at its end.
"""

PEAK_MB_SOURCE = (
    "def peak_mb():\n"
    "    import resource, sys\n"
    "    try:\n"
    "        with open('/proc/self/status') as fh:\n"
    "            return next(int(l.split()[1]) for l in fh if l.startswith('VmHWM:')) / 1024\n"
    "    except (OSError, StopIteration, ValueError):\n"
    "        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "        return rss / (1024 * 1024 if sys.platform == 'darwin' else 1024)\n"
)
