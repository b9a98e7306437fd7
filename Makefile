.PHONY: run test lint format messages

run:  ## Command 1: set up and run the platform with demo data on http://127.0.0.1:8000
	bin/run

test:  ## Command 2: ruff + the whole pytest suite
	bin/test

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .

messages:  ## Refresh and compile the translation catalogues
	DEBUG=true .venv/bin/python manage.py makemessages --all --no-location --no-obsolete --ignore=.venv --ignore=staticfiles
	DEBUG=true .venv/bin/python manage.py compilemessages --ignore=.venv
