"""Ctrl-C during fit: a SIGINT sent to the process stops training with
KeyboardInterrupt, promptly, as Python code expects."""

import signal
import subprocess
import sys
import time

SCRIPT = r"""
import signal, sys, backprop
# Python's own SIGINT handler, as an interactive session has it: a test suite started in
# the background inherits SIGINT ignored, and Python then keeps it ignored.
signal.signal(signal.SIGINT, signal.default_int_handler)
X, y = backprop.load_dataset("digits")
started = lambda record: (print("epoch", record["epoch"], flush=True) if record["epoch"] == 1 else None)
try:
    backprop.MLPClassifier(hidden=[256, 256], epochs=100000, progress=started).fit(X, y)
except KeyboardInterrupt:
    print("interrupted", flush=True)
    sys.exit(0)
print("finished", flush=True)
sys.exit(1)
"""


def test_a_signal_during_fit_raises_keyboard_interrupt():
    child = subprocess.Popen([sys.executable, "-c", SCRIPT], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "epoch 1"
        sent = time.monotonic()
        child.send_signal(signal.SIGINT)
        out, _ = child.communicate(timeout=30)
        assert time.monotonic() - sent < 5
        assert out.strip() == "interrupted"
        assert child.returncode == 0
    finally:
        child.kill()
