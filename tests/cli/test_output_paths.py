"""Output-path safety (docs/errors.md, "Output paths"): every output path is
checked before anything is written. An input of the same command, a
directory, a device, a FIFO or a socket is refused with exit 2 and a message
naming the path, and nothing at the path changes (its lstat is compared
before and after); a symbolic link's target is written; a regular file is
replaced only when it is flopcast's, or with --force. Temporary files of
killed runs are removed and said so; --resume writes where the interrupted
run was told to; durations take units; saved states carry checksums.

These tests run as CI runs, as root, so the device node is real: it is made
with mknod inside the test's own folder, never the machine's /dev."""
import os
import signal
import socket
import stat
import subprocess
import unittest

import h5py

from clitools import FLOPCAST, SOURCE_DIR, ScratchTest, run

SMALL = ("-n", "2000", "-q")


def snapshot(path):
    """What must not change at a refused path: its lstat and, for a regular
    file, its bytes."""
    st = os.lstat(path)
    content = None
    if stat.S_ISREG(st.st_mode):
        with open(path, "rb") as f:
            content = f.read()
    return (st.st_mode, st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns, st.st_rdev, content)


def interrupt_after_first_checkpoint(test, *args):
    """Starts a long run with a checkpoint every 0.05 s (args name -o and
    --checkpoint), stops it with SIGINT once the first checkpoint exists,
    and returns its stderr; the run must have exited 5."""
    proc = subprocess.Popen([FLOPCAST, "run", "-n", "12000000", "-q", "--checkpoint-every", "0.05", *args],
                            cwd=test.dir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    checkpoint = test.path(args[list(args).index("--checkpoint") + 1])
    test.stop_part_way(proc, checkpoint, 0.0, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    test.assertEqual(proc.returncode, 5, err)
    return err


class RefusedPaths(ScratchTest):
    def scenario(self):
        with open(os.path.join(SOURCE_DIR, "scenarios", "csc-2023-baseline.toml")) as f:
            return self.write("x.toml", f.read())

    def refused(self, path, fragment, *args):
        """Runs flopcast with args; it must exit 2, say `fragment` naming
        `path`, leave `path` as it was, and leave no other file behind."""
        before, listing = snapshot(path), self.files()
        code, out, err = run(*args, cwd=self.dir)
        self.assertEqual(code, 2, (args, out, err))
        self.assertIn(fragment, err, args)
        self.assertIn(os.path.basename(path), err, args)
        self.assertNotIn("179769", err)  # never a raw numeric limit
        self.assertEqual(snapshot(path), before, f"{path} changed")
        self.assertEqual(self.files(), listing, "a refused command left a file")

    def test_the_scenario_itself_is_never_the_output(self):
        x = self.scenario()
        self.refused(x, "x.toml: it is an input of this command", "run", x, "-o", x, *SMALL)
        # Another name for the same file: compared by device and inode.
        os.link(x, self.path("hard.toml"))
        self.refused(x, "it is the same file as the input", "run", self.path("hard.toml"), "-o", x, *SMALL)
        os.symlink("x.toml", self.path("alias.toml"))
        self.refused(x, "it is the same file as the input", "run", "alias.toml", "-o", "x.toml", *SMALL)

    def test_a_text_file_is_replaced_only_with_force(self):
        notes = self.write("notes.txt", "my notes\n")
        self.refused(notes, "notes.txt: it is not a flopcast result (use --force)",
                     "run", "-o", notes, *SMALL)
        code, _, err = run("run", "-o", notes, "--force", *SMALL, cwd=self.dir)
        self.assertEqual(code, 0, err)
        self.assertTrue(h5py.is_hdf5(notes))

    def test_an_earlier_result_is_replaced(self):
        out = self.path("r.h5")
        self.assertEqual(run("run", "-o", out, *SMALL)[0], 0)
        code, _, err = run("run", "-o", out, "--seed", "7", *SMALL)
        self.assertEqual(code, 0, err)
        with h5py.File(out) as f:
            self.assertEqual(int(f.attrs["seed"]), 7)

    @unittest.skipUnless(os.geteuid() == 0, "mknod needs root (CI runs as root)")
    def test_a_device_node_is_refused(self):
        dev = self.path("null")
        os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
        self.refused(dev, "null: it is a character device", "run", "-o", dev, *SMALL)
        # Through a symbolic link too: the link is followed, the device refused.
        os.symlink("null", self.path("link.h5"))
        self.refused(dev, "(a symbolic link to", "run", "-o", self.path("link.h5"), *SMALL)

    def test_fifo_socket_and_directory_are_refused(self):
        fifo = self.path("pipe")
        os.mkfifo(fifo)
        self.refused(fifo, "it is a FIFO (named pipe)", "run", "-o", fifo, *SMALL)
        sock_path = self.path("sock")
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(sock_path)
        try:
            self.refused(sock_path, "it is a socket", "run", "-o", sock_path, *SMALL)
        finally:
            sock.close()
        folder = self.path("folder")
        os.mkdir(folder)
        self.refused(folder, "it is a directory; give a file name", "run", "-o", folder, *SMALL)

    def test_a_symbolic_link_is_followed_and_left_a_link(self):
        os.mkdir(self.path("elsewhere"))
        os.symlink(os.path.join("elsewhere", "t.h5"), self.path("link.h5"))  # dangling: names the file to make
        code, out, err = run("run", "-o", "link.h5", *SMALL, cwd=self.dir)
        self.assertEqual(code, 0, err)
        self.assertTrue(os.path.islink(self.path("link.h5")))
        self.assertTrue(h5py.is_hdf5(self.path("elsewhere/t.h5")))
        # The temporary file was made beside the target, not beside the link.
        self.assertEqual(sorted(os.listdir(self.path("elsewhere"))), ["t.h5"])
        self.assertEqual(self.files(), ["elsewhere", "link.h5"])

    def test_checkpoint_paths_are_checked_too(self):
        notes = self.write("notes.txt", "my notes\n")
        self.refused(notes, "notes.txt: it is not a flopcast checkpoint",
                     "run", "-o", "r.h5", "--checkpoint", notes, *SMALL)
        result = self.path("r.h5")
        self.assertEqual(run("run", "-o", result, *SMALL)[0], 0)
        self.refused(result, "--checkpoint and the output name the same file",
                     "run", "-o", result, "--checkpoint", result, "--force", *SMALL)

    def test_merge_and_sweep_never_write_their_inputs(self):
        shards = []
        for i in range(2):
            p = self.path(f"s{i}.h5")
            self.assertEqual(run("run", *SMALL, "--shard", f"{i}/2", "-o", p)[0], 0)
            shards.append(p)
        self.refused(shards[0], "s0.h5: it is an input of this command",
                     "merge", *shards, "-o", shards[0])
        variants = self.write("v.toml", "[variants.a]\n\"inputs.train_mfu.median\" = 0.4\n")
        self.refused(variants, "it is an input of this command", "sweep", "--variants", variants, "-o", variants,
                     *SMALL)
        notes = self.write("notes.txt", "x")
        self.refused(notes, "it is not a flopcast result (use --force)", "merge", *shards, "-o", notes)


    def test_the_report_folder_is_never_an_existing_file(self):
        result = self.path("r.h5")
        self.assertEqual(run("run", "-o", result, *SMALL)[0], 0)
        for name in ("r.h5", "notes.txt"):
            target = self.path(name) if name == "r.h5" else self.write(name, "x")
            before = snapshot(target)
            p = subprocess.run(["/usr/bin/python3", os.path.join(SOURCE_DIR, "scripts", "report.py"), result, "-o",
                                target], capture_output=True, text=True, timeout=120)
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertIn("it exists and is not a folder", p.stderr)
            self.assertEqual(snapshot(target), before)


class Leftovers(ScratchTest):
    def dead_pid(self):
        """A process id that no longer exists on this host."""
        p = subprocess.Popen(["true"])
        p.wait()
        return p.pid

    def test_a_killed_runs_temporary_file_is_removed_and_said(self):
        host = socket.gethostname().replace("/", "_").replace(".", "_")
        stale = self.write(f"r.h5.tmp-{host}-{self.dead_pid()}", "half a file")
        spool = self.write(f"r.h5.tmp-{host}-{self.dead_pid()}.samples-0", "spooled")
        live = self.write(f"r.h5.tmp-{host}-{os.getpid()}", "a live run's")  # this process is alive
        other_host = self.write(f"r.h5.tmp-otherhost-{self.dead_pid()}", "another host's")
        code, _, err = run("run", "-o", "r.h5", "-n", "2000", cwd=self.dir)
        self.assertEqual(code, 0, err)
        self.assertIn(f"removed {stale}".replace(self.dir, "."), err.replace(self.dir, "."))
        self.assertIn("the temporary file of a run that was killed", err)
        self.assertFalse(os.path.exists(stale))
        self.assertFalse(os.path.exists(spool))
        self.assertTrue(os.path.exists(live))
        self.assertTrue(os.path.exists(other_host))

    def test_a_killed_checkpoints_temporary_file_is_removed(self):
        host = socket.gethostname().replace("/", "_").replace(".", "_")
        stale = self.write(f"ck.bin.tmp-{host}-{self.dead_pid()}", "half a checkpoint")
        interrupt_after_first_checkpoint(self, "-o", "r.h5", "--checkpoint", "ck.bin")
        self.assertFalse(os.path.exists(stale))

    def test_a_resume_that_saves_no_checkpoint_still_removes_a_killed_ones_temporary(self):
        # A run killed while it wrote a checkpoint leaves ck.bin.tmp-HOST-PID;
        # the resumed run may end before it saves one (which is when the
        # stale file used to be swept), so finishing sweeps it too. Seen in
        # CI: test_checkpoint's kill landed inside a checkpoint's write.
        interrupt_after_first_checkpoint(self, "-o", "r.h5", "--checkpoint", "ck.bin")
        host = socket.gethostname().replace("/", "_").replace(".", "_")
        stale = self.write(f"ck.bin.tmp-{host}-{self.dead_pid()}", "half a checkpoint")
        code, _, err = run("run", "--resume", "ck.bin", "-q", cwd=self.dir)
        self.assertEqual(code, 0, err)
        self.assertFalse(os.path.exists(stale))
        self.assertEqual(sorted(self.files()), ["r.h5"])


class Resume(ScratchTest):
    def test_resume_without_o_writes_where_the_interrupted_run_was_told_to(self):
        os.mkdir(self.path("night"))
        err = interrupt_after_first_checkpoint(self, "-o", "night/r.h5", "--checkpoint", "ck.bin")
        self.assertIn("resume with: flopcast run --resume ck.bin (the result goes to night/r.h5)", err)
        code, out, err = run("run", "--resume", "ck.bin", "-q", cwd=self.dir)
        self.assertEqual(code, 0, err)
        self.assertIn("results in night/r.h5", out)
        self.assertTrue(h5py.is_hdf5(self.path("night/r.h5")))
        self.assertEqual(sorted(self.files()), ["night"])  # no default-named file, checkpoint gone

    def test_a_corrupted_checkpoint_is_refused_by_name_whatever_byte_was_hit(self):
        interrupt_after_first_checkpoint(self, "-o", "r.h5", "--checkpoint", "ck.bin")
        with open(self.path("ck.bin"), "rb") as f:
            good = f.read()
        # Bytes in the header, the scenario text, the numbers and the state.
        for at in (16, 40, len(good) // 2, len(good) - 1):
            with self.subTest(byte=at):
                bad = bytearray(good)
                bad[at] ^= 0x01
                with open(self.path("bad.bin"), "wb") as f:
                    f.write(bad)
                code, _, err = run("run", "--resume", "bad.bin", "-q", "-o", "x.h5", cwd=self.dir)
                self.assertEqual(code, 2, err)
                self.assertIn("bad.bin: the checkpoint is truncated or corrupt", err)
                self.assertFalse(os.path.exists(self.path("x.h5")))

    def test_a_corrupted_shard_is_refused_by_name(self):
        shards = []
        for i in range(2):
            p = self.path(f"s{i}.h5")
            self.assertEqual(run("run", *SMALL, "--shard", f"{i}/2", "-o", p)[0], 0)
            shards.append(p)
        with h5py.File(shards[1], "r+") as f:
            state = f["state"][...]
            state[len(state) // 2] ^= 0x01
            f["state"][...] = state
        code, _, err = run("merge", *shards, "-o", self.path("m.h5"))
        self.assertEqual(code, 2, err)
        self.assertIn("s1.h5: the shard is corrupt", err)
        self.assertFalse(os.path.exists(self.path("m.h5")))


class Durations(ScratchTest):
    def test_every_spelling_of_a_duration(self):
        for good in ("90", "0.5", "30s", "5m", "2h", "1d", "1h30m", "2m30s", "0.05s"):
            with self.subTest(duration=good):
                for option in ("--checkpoint-every", "--progress-every"):
                    code, _, err = run("run", *SMALL, "-o", "r.h5", option, good, cwd=self.dir)
                    self.assertEqual(code, 0, (option, good, err))

    def test_what_is_not_a_duration_is_said_in_plain_words(self):
        for bad, says in (("1x", "is not a duration"), ("s", "is not a duration"), ("5m2h", "is not a duration"),
                          ("-5", "is not a duration"), ("1.2.3s", "is not a duration"),
                          ("0", "must be longer than zero"), ("0s", "must be longer than zero")):
            with self.subTest(duration=bad):
                code, _, err = run("run", *SMALL, "-o", "r.h5", "--checkpoint-every", bad, cwd=self.dir)
                self.assertEqual(code, 2, err)
                self.assertIn(says, err)
                self.assertIn("--checkpoint-every", err)
                self.assertNotIn("179769", err)
                self.assertEqual(self.files(), [])

    def test_other_numeric_options_print_no_raw_limit(self):
        for args in (("-t", "-1"), ("--confidence", "2", "--until", "median:total_a100@2027:5%"),
                     ("--progress-every", "-1")):
            with self.subTest(args=args):
                code, _, err = run("run", *SMALL, "-o", "r.h5", *args, cwd=self.dir)
                self.assertEqual(code, 2, err)
                self.assertNotIn("179769", err)
                self.assertNotIn("000000", err)
        code, _, err = run("sensitivity", "--method", "tornado", "-t", "-1", "-q", cwd=self.dir)
        self.assertEqual(code, 2, err)
        self.assertIn("is not a thread count", err)


if __name__ == "__main__":
    unittest.main()
