"""Hearing customers: the events pages send (schema), a collector that stores them (collect,
store), and the content-gap report a support lead reads (report)."""
