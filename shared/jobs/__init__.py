"""Jobs: the JobMessage queue contract and, later, the engine that runs job steps."""
