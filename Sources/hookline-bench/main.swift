print("hookline-bench is being written; see scripts/bench")
