"""``python -m benchmarks``: Yuntan vs bw2calc 3.x (see :mod:`benchmarks.run`)."""

from benchmarks.run import main

raise SystemExit(main())
