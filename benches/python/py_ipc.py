"""The course's IPC mechanisms as two-ended channels: send(bytes) and recv(timeout) -> bytes on each end.
Each make_* returns (end a, end b, close); end b goes to the peer (a process or a thread)."""
import multiprocessing as mp
import queue
import threading
from multiprocessing import shared_memory


class PeerTimeout(Exception):
    pass


class PipeEnd:
    """multiprocessing.Pipe(): a duplex connection (a socketpair plus pickling of the bytes)."""

    def __init__(self, conn):
        self.conn = conn

    def send(self, data):
        self.conn.send_bytes(data)

    def recv(self, timeout):
        if not self.conn.poll(timeout):
            raise PeerTimeout(f"no message within {timeout} s")
        return self.conn.recv_bytes()


class QueueEnd:
    """Two queues, one per direction (multiprocessing.Queue, SimpleQueue, Manager().Queue(), queue.Queue)."""

    def __init__(self, out, inq, timed=True):
        self.out, self.inq, self.timed = out, inq, timed

    def send(self, data):
        self.out.put(data)

    def recv(self, timeout):
        if not self.timed:  # SimpleQueue has no timeout: poll its pipe first
            if not self.inq._reader.poll(timeout):
                raise PeerTimeout(f"no message within {timeout} s")
            return self.inq.get()
        try:
            return self.inq.get(timeout=timeout)
        except queue.Empty:
            raise PeerTimeout(f"no message within {timeout} s") from None


class Mailbox:
    """One message slot in shared memory handed over with two Events (the course's Event): the writer waits
    until the slot is empty, copies the message in after an 8-byte length, and sets `full`."""

    def __init__(self, buf, events):
        self.buf = buf
        self.empty, self.full = events
        self.empty.set()

    def put(self, data, timeout):
        if not self.empty.wait(timeout):
            raise PeerTimeout(f"slot not emptied within {timeout} s")
        self.empty.clear()
        self.buf[:8] = len(data).to_bytes(8, "little")
        self.buf[8 : 8 + len(data)] = data
        self.full.set()

    def take(self, timeout):
        if not self.full.wait(timeout):
            raise PeerTimeout(f"no message within {timeout} s")
        self.full.clear()
        n = int.from_bytes(bytes(self.buf[:8]), "little")
        data = bytes(self.buf[8 : 8 + n])
        self.empty.set()
        return data


class MailboxEnd:
    def __init__(self, out, inbox, timeout=30):
        self.out, self.inbox, self.timeout = out, inbox, timeout

    def send(self, data):
        self.out.put(data, self.timeout)

    def recv(self, timeout):
        return self.inbox.take(timeout)


def make_pipe(max_size):
    a, b = mp.Pipe(duplex=True)
    return PipeEnd(a), PipeEnd(b), lambda: (a.close(), b.close())


def make_queue(max_size):
    q1, q2 = mp.Queue(), mp.Queue()

    def close():
        for q in (q1, q2):
            q.close()
            q.join_thread()

    return QueueEnd(q1, q2), QueueEnd(q2, q1), close


def make_simple_queue(max_size):
    q1, q2 = mp.SimpleQueue(), mp.SimpleQueue()
    return QueueEnd(q1, q2, timed=False), QueueEnd(q2, q1, timed=False), lambda: (q1.close(), q2.close())


def make_manager_queue(max_size):
    manager = mp.Manager()
    q1, q2 = manager.Queue(), manager.Queue()
    return QueueEnd(q1, q2), QueueEnd(q2, q1), manager.shutdown


def make_thread_queue(max_size):
    q1, q2 = queue.Queue(), queue.Queue()
    return QueueEnd(q1, q2), QueueEnd(q2, q1), lambda: None


def make_array(max_size):
    """multiprocessing.Array("B") shared memory as two mailboxes, handed over with Events."""
    arrays = [mp.Array("B", max_size + 8, lock=False) for _ in range(2)]
    views = [memoryview(a).cast("B") for a in arrays]
    boxes = [Mailbox(v, (mp.Event(), mp.Event())) for v in views]
    return MailboxEnd(boxes[0], boxes[1]), MailboxEnd(boxes[1], boxes[0]), lambda: [v.release() for v in views]


def make_shared_memory(max_size):
    """multiprocessing.shared_memory.SharedMemory blocks as two mailboxes."""
    blocks = [shared_memory.SharedMemory(create=True, size=max_size + 8) for _ in range(2)]
    boxes = [Mailbox(b.buf, (mp.Event(), mp.Event())) for b in blocks]

    def close():
        for box in boxes:
            box.buf = None
        for b in blocks:
            b.close()
            b.unlink()

    return MailboxEnd(boxes[0], boxes[1]), MailboxEnd(boxes[1], boxes[0]), close


# name -> (factory, peer kinds it supports, the C++ mechanism it rests on)
MECHANISMS = {
    "mp_pipe": (make_pipe, ("process", "thread"), "socketpair"),
    "mp_queue": (make_queue, ("process", "thread"), "pipe"),
    "mp_simplequeue": (make_simple_queue, ("process", "thread"), "pipe"),
    "mp_array": (make_array, ("process", "thread"), "posix_sem+shm"),
    "mp_shared_memory": (make_shared_memory, ("process", "thread"), "posix_sem+shm"),
    "mp_manager_queue": (make_manager_queue, ("process",), "unix"),
    "queue_queue": (make_thread_queue, ("thread",), "cv_queue"),
}


class ThreadPeer(threading.Thread):
    """A thread peer that keeps its exception (as `error`) instead of printing it, and has an exit
    code like a process: None while running, 0 when it returned, 1 when it raised."""

    def __init__(self, target, args):
        super().__init__(daemon=True)
        self.fn, self.fn_args, self.error = target, args, None

    def run(self):
        try:
            self.fn(*self.fn_args)
        except Exception as e:  # reported by the caller through exitcode and error
            self.error = e

    @property
    def exitcode(self):
        return None if self.is_alive() else (1 if self.error else 0)


def start_peer(kind, target, args):
    """A multiprocessing.Process or a thread running target(*args)."""
    worker = mp.Process(target=target, args=args, daemon=True) if kind == "process" else ThreadPeer(target, args)
    worker.start()
    return worker
