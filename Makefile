# Écoute — every target is a thin line; the logic lives in bin/.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: demo test lint bench serve install clean messages

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference_data
	$(PY) manage.py load_demo_data
	$(PY) manage.py runserver 127.0.0.1:$${PORT:-8000}

serve: install
	$(PY) manage.py runserver 127.0.0.1:$${PORT:-8000}

test: install
	bin/run-tests

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy ecoute config
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check
	DJANGO_SETTINGS_MODULE=config.settings.prod SECRET_KEY=lint-$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=ecoute.example $(PY) manage.py check --deploy --fail-level WARNING

bench: install
	$(PY) -m bench

# Needs GNU gettext (apt-get install gettext); compiled .mo files are committed.
messages: install
	$(PY) manage.py makemessages -l fr -l en --ignore=.venv/* --ignore=var/* --ignore=bench/* --ignore=tests/* --no-location
	$(PY) manage.py compilemessages --ignore=.venv --ignore=var

clean:
	rm -rf $(VENV) var
