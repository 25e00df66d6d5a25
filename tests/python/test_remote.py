"""ipcbench serve and --remote between two network namespaces joined by a veth pair (198.18.0.0/15, the
benchmarking range): verified results for tcp, udp and zmq.tcp, and every refusal and fault the server and
the client must survive. Needs root (it creates the namespaces, and removes them even on failure); skipped
with the reason where namespaces cannot be created. Traffic stays between the two namespaces."""
import json
import os
import signal
import subprocess
import tempfile
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
IPCBENCH = os.environ.get("IPCBENCH_BINARY", os.path.join(ROOT, "build", "ipcbench"))
TAG = str(os.getpid())
SERVER_NS, CLIENT_NS = f"ipcb-s-{TAG}", f"ipcb-c-{TAG}"
SERVER_IP, CLIENT_IP = "198.18.0.1", "198.18.0.2"


def sh(*args):
    return subprocess.run(args, capture_output=True, text=True)


def make_namespaces():
    """Two namespaces and a veth pair between them; returns why not, or None."""
    if os.geteuid() != 0:
        return "network namespaces need root"
    steps = [
        ("ip", "netns", "add", SERVER_NS),
        ("ip", "netns", "add", CLIENT_NS),
        ("ip", "link", "add", f"ipcbs{TAG}", "type", "veth", "peer", "name", f"ipcbc{TAG}"),
        ("ip", "link", "set", f"ipcbs{TAG}", "netns", SERVER_NS),
        ("ip", "link", "set", f"ipcbc{TAG}", "netns", CLIENT_NS),
        ("ip", "-n", SERVER_NS, "addr", "add", f"{SERVER_IP}/30", "dev", f"ipcbs{TAG}"),
        ("ip", "-n", CLIENT_NS, "addr", "add", f"{CLIENT_IP}/30", "dev", f"ipcbc{TAG}"),
        ("ip", "-n", SERVER_NS, "link", "set", f"ipcbs{TAG}", "up"),
        ("ip", "-n", CLIENT_NS, "link", "set", f"ipcbc{TAG}", "up"),
        ("ip", "-n", SERVER_NS, "link", "set", "lo", "up"),
        ("ip", "-n", CLIENT_NS, "link", "set", "lo", "up"),
    ]
    for step in steps:
        r = sh(*step)
        if r.returncode != 0:
            remove_namespaces()
            return f"cannot create network namespaces here ({' '.join(step)}: {r.stderr.strip()})"
    return None


def remove_namespaces():
    for ns in (SERVER_NS, CLIENT_NS):
        sh("ip", "netns", "del", ns)  # takes its end of the veth pair with it


class Server:
    """`ipcbench serve` in the server namespace; its log is kept to wait on and to read."""

    def __init__(self, port, *extra):
        self.port = port
        self.log = tempfile.NamedTemporaryFile(prefix="ipcbench-serve-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", SERVER_NS, IPCBENCH, "serve", f"--listen={SERVER_IP}:{port}", *extra],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.wait_for("listening on")

    def text(self):
        with open(self.log.name, encoding="utf-8") as f:
            return f.read()

    def wait_for(self, needle, timeout=30, count=1):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.text().count(needle) >= count:
                return
            if self.proc.poll() is not None:
                raise AssertionError(f"serve exited: {self.text()}")
            time.sleep(0.05)
        raise AssertionError(f"serve never logged {needle!r}: {self.text()}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        os.unlink(self.log.name)


def client(port, out, *extra, wait=True):
    args = [
        "ip",
        "netns",
        "exec",
        CLIENT_NS,
        IPCBENCH,
        f"--remote={SERVER_IP}:{port}",
        f"--out={out}",
        "--profile=quick",
        "--peer-timeout=1",
        *extra,
    ]
    if wait:
        return subprocess.run(args, capture_output=True, text=True, timeout=300)
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


class RemoteBetweenNamespaces(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.access(IPCBENCH, os.X_OK):
            raise unittest.SkipTest("build/ipcbench is not built")
        why = make_namespaces()
        if why:
            raise unittest.SkipTest(why)
        cls.tmp = tempfile.mkdtemp(prefix="ipcbench-remote-test-")
        cls.token = os.path.join(cls.tmp, "token")
        with open(os.open(cls.token, os.O_WRONLY | os.O_CREAT, 0o600), "w", encoding="utf-8") as f:
            f.write("s3cret-for-the-test\n")

    @classmethod
    def tearDownClass(cls):
        remove_namespaces()
        subprocess.run(["rm", "-rf", cls.tmp])

    def setUp(self):
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            s.stop()

    def serve(self, port, *extra):
        s = Server(port, *extra)
        self.servers.append(s)
        return s

    def out(self, name):
        return os.path.join(self.tmp, name + ".json")

    def test_every_network_mechanism_measures_verified_between_hosts(self):
        self.serve(5601, f"--token-file={self.token}")
        out = self.out("results")
        r = client(5601, out, f"--token-file={self.token}", "--sizes=64,16K")
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, encoding="utf-8") as f:
            data = json.load(f)
        by_name = {b["name"]: b for b in data["benchmarks"]}
        for mech in ("tcp", "udp", "zmq.tcp"):
            for workload, counter in (("latency", "p50_ns"), ("throughput", "bytes_per_second")):
                for size in (64, 16384):
                    remote = f"net/{mech}/{workload}/peer:remote/pin:cross/size:{size}"
                    local = f"ipc/{mech}/{workload}/peer:process/pin:cross/size:{size}"
                    self.assertIn(remote, by_name)
                    self.assertFalse(by_name[remote].get("error_occurred"), by_name[remote].get("error_message"))
                    self.assertGreater(by_name[remote][counter], 0)
                    self.assertGreater(by_name[remote]["cpu_ns_per_msg_peer"], 0)  # the server's own CPU
                    self.assertIn(local, by_name)  # the loopback result beside it
        for mech in ("tcp", "udp", "zmq.tcp"):  # round trips under load, between hosts beside loopback
            for peer in ("remote", "process"):
                for rate in ("10k", "50%"):
                    name = f"load_rtt/{mech}/peer:{peer}/pin:cross/size:64/rate:{rate}"
                    self.assertIn(name, by_name)
                    self.assertFalse(by_name[name].get("error_occurred"), by_name[name].get("error_message"))
                    self.assertGreater(by_name[name]["achieved_rate"], 0)
                    self.assertGreater(by_name[name]["p99_ns"], 0)
                    self.assertGreater(by_name[name]["cpu_ns_per_msg_peer"], 0)
        remote_ctx = data["context"]["remote"]
        self.assertEqual(remote_ctx["address"], f"{SERVER_IP}:5601")
        self.assertIn("kernel", remote_ctx["context"])

    def test_a_wrong_token_or_version_is_refused_in_one_line(self):
        server = self.serve(5602, f"--token-file={self.token}")
        wrong = os.path.join(self.tmp, "wrong")
        with open(os.open(wrong, os.O_WRONLY | os.O_CREAT, 0o600), "w", encoding="utf-8") as f:
            f.write("a-guess-at-the-token\n")
        for extra, needle in (
            ((f"--token-file={wrong}",), "wrong token"),
            ((f"--token-file={self.token}", "--inject-protocol-version=7"), "protocol version 7"),
        ):
            out = self.out("refused")
            r = client(5602, out, *extra)
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
            self.assertIn(needle, r.stderr)
            self.assertFalse(os.path.exists(out), "a refused run wrote a results file")
        self.assertNotIn("client connected", server.text())

    def test_an_unreachable_server_is_one_line_and_exit_2(self):
        r = client(5603, self.out("unreachable"))
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertIn(f"{SERVER_IP}:5603 did not answer", r.stderr)

    def test_busy_then_a_killed_client_leaves_the_server_ready(self):
        server = self.serve(5604, "--peer-timeout=1", "--allow-anyone")
        first = client(5604, self.out("first"), "--filter=^net/tcp/", "--benchmark_min_time=3", wait=False)
        server.wait_for("client connected")
        second = client(5604, self.out("second"))
        self.assertEqual(second.returncode, 2, second.stderr)
        self.assertIn("busy", second.stderr)
        time.sleep(1)  # the first client is mid-benchmark
        first.send_signal(signal.SIGKILL)
        first.communicate()
        server.wait_for("ready for the next client", timeout=30)
        third = client(5604, self.out("third"), "--filter=^net/tcp/latency/")
        self.assertEqual(third.returncode, 0, third.stderr)
        self.assertEqual(server.proc.poll(), None, "the server died with its client")

    def test_a_server_killed_mid_benchmark_fails_that_benchmark_naming_the_host(self):
        server = self.serve(5605, "--allow-anyone")
        out = self.out("server-killed")
        started = time.monotonic()
        run = client(5605, out, "--filter=^net/tcp/", "--benchmark_min_time=2", wait=False)
        server.wait_for("client connected")
        time.sleep(1)
        server.proc.kill()
        _, err = run.communicate(timeout=120)
        self.assertEqual(run.returncode, 1, err)
        with open(out, encoding="utf-8") as f:
            failed = [b for b in json.load(f)["benchmarks"] if b.get("error_occurred")]
        self.assertTrue(failed)
        for b in failed:
            self.assertIn(f"{SERVER_IP}:5605", b["error_message"])
        self.assertLess(time.monotonic() - started, 60)

    def test_off_loopback_a_token_or_an_explicit_flag_is_required(self):
        r = sh("ip", "netns", "exec", SERVER_NS, IPCBENCH, "serve", f"--listen={SERVER_IP}:5606")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertIn("--allow-anyone", r.stderr)
        loose = os.path.join(self.tmp, "loose")
        with open(loose, "w", encoding="utf-8") as f:
            f.write("a-token-long-enough-but-readable\n")
        os.chmod(loose, 0o644)
        r = sh(
            "ip", "netns", "exec", SERVER_NS, IPCBENCH, "serve", f"--listen={SERVER_IP}:5606", f"--token-file={loose}"
        )
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("chmod 600", r.stderr)
        server = self.serve(5606, "--allow-anyone")
        self.assertIn("WARNING: no token", server.text())

    def link(self, ns, dev, state):
        r = sh("ip", "-n", ns, "link", "set", dev, state)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_a_client_whose_host_vanishes_is_let_go_within_5_s(self):
        server = self.serve(5607, f"--token-file={self.token}", "--peer-timeout=1")
        run = client(
            5607,
            self.out("vanishing"),
            f"--token-file={self.token}",
            "--filter=^net/tcp/latency/",
            "--benchmark_min_time=30",
            wait=False,
        )
        try:
            server.wait_for("client connected")
            time.sleep(1)
            self.link(CLIENT_NS, f"ipcbc{TAG}", "down")  # no FIN, no RST: the client just goes silent
            gone = time.monotonic()
            server.wait_for("ready for the next client", timeout=15)
            noticed = time.monotonic() - gone
            print(f"\nserve noticed a vanished client after {noticed:.1f} s", flush=True)
            self.assertLess(noticed, 5.0, server.text())
        finally:
            self.link(CLIENT_NS, f"ipcbc{TAG}", "up")
            run.kill()
            run.communicate()

    def test_a_client_notices_a_vanished_server_within_5_s(self):
        server = self.serve(5608, f"--token-file={self.token}")
        out = self.out("server-vanished")
        run = client(
            5608, out, f"--token-file={self.token}", "--filter=^net/tcp/latency/", "--benchmark_min_time=30", wait=False
        )
        try:
            server.wait_for("client connected")
            time.sleep(1)
            self.link(SERVER_NS, f"ipcbs{TAG}", "down")
            gone = time.monotonic()
            _, err = run.communicate(timeout=60)
            noticed = time.monotonic() - gone
            print(f"\nthe client ended {noticed:.1f} s after its server vanished", flush=True)
            self.assertEqual(run.returncode, 1, err)
            self.assertLess(noticed, 5.0)
            with open(out, encoding="utf-8") as f:
                failed = [b for b in json.load(f)["benchmarks"] if b.get("error_occurred")]
            self.assertTrue(failed)
            self.assertIn(f"{SERVER_IP}:5608", failed[0]["error_message"])
        finally:
            self.link(SERVER_NS, f"ipcbs{TAG}", "up")
            run.kill()


if __name__ == "__main__":
    unittest.main()
