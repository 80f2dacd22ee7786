"""Repositories over Azure Tables, Queues and Blobs."""
