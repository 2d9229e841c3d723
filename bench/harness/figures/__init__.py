"""One module per figure of issue 10; each `measure(tools)` returns its rows."""
