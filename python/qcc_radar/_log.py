"""The package's `logging` setup, imported only when `logging` is in use.

``import logging`` costs a third of ``import qcc_radar`` on a plain CPython, and most
programs that use this package never configure logging. So the package does not import it:
this module is imported by ``qcc_radar/__init__.py`` when the application has already
imported ``logging``, or else by the native log bridge (``bindings/python/src/logging.rs``)
when ``logging`` gets imported later and a Rust event must become a record. Either way the
``NullHandler`` below is on the ``qcc_radar`` logger before its first record, which is what a
library owes its application: no "no handlers" fallback output to stderr, and the choice of
where records go left to the application.
"""

from __future__ import annotations

import logging

__all__ = ["get_logger"]

logging.getLogger("qcc_radar").addHandler(logging.NullHandler())

get_logger = logging.getLogger
"""``logging.getLogger``: the bridge looks loggers up through this module so that importing
it, and with it adding the handler above, always comes first."""
