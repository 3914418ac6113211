"""The named-axes contract of issue 17, read by a netCDF tool: every stacked
group /summary/NAME of a dimensioned output opens with
`xarray.open_dataset(file, engine="h5netcdf", group="summary/NAME")` and
gives the dimensions by name with their coordinates (element names, years,
quantile levels), holding the values of the per-element groups. Needs
Debian's python3-xarray and python3-h5netcdf (scripts/install-deps.sh --test)."""
import h5py
import numpy as np
import xarray as xr

from clitools import ScratchTest, run
from test_dimensions import CHIPS, REGIONS, scenario


class Xarray(ScratchTest):
    def setUp(self):
        super().setUp()
        self.write("dims.toml", scenario())
        rc, _, err = run("run", "dims.toml", "-n", "5000", "-o", "dims.h5", "-q", cwd=self.dir)
        self.assertEqual(rc, 0, err)
        self.file = self.path("dims.h5")

    def open(self, group, path=None):
        return xr.open_dataset(path or self.file, engine="h5netcdf", group=group)

    def test_a_yearly_output_over_two_dimensions(self):
        with self.open("summary/flops") as ds, h5py.File(self.file) as f:
            self.assertEqual(ds["quantiles"].dims, ("quantile_levels", "years", "chip", "region"))
            for stat in ("mean", "std", "stderr", "min", "max", "count", "nonfinite", "nan"):
                self.assertEqual(ds[stat].dims, ("years", "chip", "region"), stat)
            self.assertEqual(list(ds["chip"].values), CHIPS)
            self.assertEqual(list(ds["region"].values), REGIONS)
            np.testing.assert_array_equal(ds["years"].values, f["years"][()])
            np.testing.assert_array_equal(ds["quantile_levels"].values, f["quantile_levels"][()])
            # Selection by element name gives that element's own group.
            for c in CHIPS:
                for r in REGIONS:
                    np.testing.assert_array_equal(ds["quantiles"].sel(chip=c, region=r).values,
                                                  f[f"summary/flops[{c},{r}]/quantiles"][()])
                    np.testing.assert_array_equal(ds["count"].sel(chip=c, region=r).values,
                                                  f[f"summary/flops[{c},{r}]/count"][()])
            median_2027 = ds["quantiles"].sel(quantile_levels=0.5, years=2027, chip="B200", region="china")
            self.assertEqual(float(median_2027), f["summary/flops[B200,china]/quantiles"][6, 3])
            self.assertEqual(ds.attrs["dimensions"], "chip,region")

    def test_a_scalar_output_over_one_dimension(self):
        with self.open("summary/util") as ds, h5py.File(self.file) as f:
            self.assertEqual(ds["mean"].dims, ("chip",))
            self.assertEqual(ds["quantiles"].dims, ("quantile_levels", "chip"))
            self.assertNotIn("years", ds.coords)  # a scalar output has no year axis
            for c in CHIPS:
                self.assertEqual(float(ds["mean"].sel(chip=c)), f[f"summary/util[{c}]/mean"][()])

    def test_every_dimensioned_output_opens(self):
        with h5py.File(self.file) as f:
            stacked = [n for n, g in f["summary"].items() if "dimensions" in g.attrs]
            expected = {n: tuple(f["summary"][n].attrs["dimensions"].split(",")) for n in stacked}
        self.assertEqual(sorted(stacked), ["by_chip", "capped", "flops", "growth_rate", "low", "share", "top",
                                           "units", "util"])
        for name in stacked:
            with self.open(f"summary/{name}") as ds:
                self.assertEqual(ds["mean"].dims[-len(expected[name]):], expected[name], name)
                for d in expected[name]:
                    self.assertEqual(list(ds[d].values), CHIPS if d == "chip" else REGIONS, name)

    def test_a_sweep_variant_opens_too(self):
        out = self.path("sweep.h5")
        rc, _, err = run("sweep", "dims.toml", "-n", "3000", "--grid", "inputs.peak.value.H100=1e15,2e15", "-q",
                         "-o", out, cwd=self.dir)
        self.assertEqual(rc, 0, err)
        with self.open("variants/value.H100=2e15/summary/by_chip", out) as ds, h5py.File(out) as f:
            self.assertEqual(ds["quantiles"].dims, ("quantile_levels", "years", "chip"))
            self.assertEqual(list(ds["chip"].values), CHIPS)
            np.testing.assert_array_equal(ds["quantiles"].sel(chip="H100").values,
                                          f["variants/value.H100=2e15/summary/by_chip[H100]/quantiles"][()])
