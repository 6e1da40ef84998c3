"""What the tests share besides fixtures (those live in conftest.py): API clients, generated
files, the S3 buckets the tests read, failures to inject, subprocesses to run. Test modules
import from here, never from conftest.py or from one another."""
