"""Programs & Events bot: reads programs from wiki pages, counts outcomes on the replicas, writes reports back."""
