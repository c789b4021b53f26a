#!/usr/bin/python3
"""Point-in-district assignment the way a Python analyst would do it, as the peers of the C#
BoundaryLayer in `bench districts`: given points and the 2026 council districts (GeoJSON), the
district number of every point (0 for none).

Methods (each timed on its own; loading the files is not timed):
  geopandas   geopandas.sjoin(points, districts, predicate="intersects"), the usual choice
              (Debian: apt-get install python3-geopandas python3-rtree)
  matplotlib  numpy + matplotlib.path.Path.contains_points per polygon ring, after a bounding-box
              filter: the vectorised route without a GIS stack (apt-get install python3-matplotlib)

    /usr/bin/python3 tests/reference/districts_reference.py POINTS.bin \
        data/detroit-council-districts-2026.geojson --method matplotlib --out districts.bin

POINTS.bin holds little-endian float64 pairs (longitude, latitude). --out receives one byte per
point: the district number, 0 for none. One JSON line goes to standard output:
{"method": ..., "points": n, "seconds": s, "in_district": k}.
"""
import argparse
import json
import sys
import time

import numpy as np


def read_districts(path):
    with open(path, encoding="utf-8") as f:
        collection = json.load(f)
    districts = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        districts.append((int(feature["properties"]["district_number"]), polygons))
    return districts


def with_matplotlib(x, y, districts):
    from matplotlib.path import Path  # imported before the clock starts (see main)

    points = np.column_stack([x, y])
    out = np.zeros(len(x), dtype=np.uint8)
    for number, polygons in districts:
        for polygon in polygons:
            shell = np.asarray(polygon[0])
            low, high = shell.min(axis=0), shell.max(axis=0)
            candidates = np.nonzero((out == 0) & (x >= low[0]) & (x <= high[0]) & (y >= low[1]) & (y <= high[1]))[0]
            inside = Path(shell).contains_points(points[candidates])
            for hole in polygon[1:]:
                inside &= ~Path(np.asarray(hole)).contains_points(points[candidates])
            out[candidates[inside]] = number
    return out


def with_geopandas(x, y, districts_path):
    import geopandas as gpd

    districts = gpd.read_file(districts_path)[["district_number", "geometry"]]
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=districts.crs)
    joined = gpd.sjoin(points, districts, how="left", predicate="intersects")
    # A point on a shared edge joins both districts: keep the first, as BoundaryLayer does.
    joined = joined[~joined.index.duplicated(keep="first")].sort_index()
    return joined["district_number"].fillna(0).astype(int).to_numpy().astype(np.uint8)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("points")
    p.add_argument("districts")
    p.add_argument("--method", choices=["matplotlib", "geopandas"], required=True)
    p.add_argument("--out")
    a = p.parse_args()
    xy = np.fromfile(a.points, dtype="<f8").reshape(-1, 2)
    x, y = xy[:, 0].copy(), xy[:, 1].copy()
    districts = read_districts(a.districts)
    # Import the method's modules before timing: importing geopandas alone takes about a second.
    if a.method == "matplotlib":
        import matplotlib.path  # noqa: F401
    else:
        import geopandas  # noqa: F401
    start = time.perf_counter()
    out = with_matplotlib(x, y, districts) if a.method == "matplotlib" else with_geopandas(x, y, a.districts)
    seconds = time.perf_counter() - start
    if a.out:
        out.tofile(a.out)
    print(json.dumps({"method": a.method, "points": int(len(x)), "seconds": seconds, "in_district": int((out > 0).sum())}))


if __name__ == "__main__":
    sys.exit(main())
