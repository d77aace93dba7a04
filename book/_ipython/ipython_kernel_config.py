# Kernel settings for building and testing the book; `make venv` copies this file into
# .venv/etc/ipython/, where every IPython kernel started from the venv reads it.
#
# TensorFlow's C++ start-up logs ("oneDNN custom operations are on", "absl::InitializeLog")
# are written straight to the process's stderr file descriptor, before TF_CPP_MIN_LOG_LEVEL is
# read, and only on some CPUs (those where oneDNN is on by default, e.g. with AVX-512). By
# default ipykernel copies such file-descriptor output into the notebook, so they would show on
# the pages built on those machines. Without the capture they go to the build's log instead.
# Python's own output and warnings (sys.stdout, sys.stderr) still appear in the notebook.
c = get_config()  # noqa: F821 (defined by IPython when it loads this file)
c.IPKernelApp.capture_fd_output = False
