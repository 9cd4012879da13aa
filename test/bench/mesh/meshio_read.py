#!/usr/bin/python3
"""Time meshio.read on one file (best of R runs); prints JSON {seconds, points, cells}."""
import json
import sys
import time

import meshio

path, runs = sys.argv[1], int(sys.argv[2])
best = float("inf")
for _ in range(runs):
    t = time.perf_counter()
    m = meshio.read(path)
    best = min(best, time.perf_counter() - t)
print(json.dumps({"seconds": best, "points": len(m.points), "cells": int(sum(len(b.data) for b in m.cells))}))
