# tracelab: make builds ./trace, the kit and every lab; make labN builds one
# lab; make test runs the tests; make bench compares ./trace with strace.

CC      ?= gcc
CFLAGS  ?= -O2 -g
CFLAGS  += -Wall -Wextra -Werror -D_GNU_SOURCE
LDLIBS_TRACE = -lseccomp

# pytest comes from Debian (python3-pytest) and lives under /usr/bin/python3;
# a python3 earlier on PATH may be another interpreter without it.
PYTHON := $(shell for p in /usr/bin/python3 python3; do \
	if $$p -c 'import pytest' >/dev/null 2>&1; then echo $$p; break; fi; done)
ifeq ($(PYTHON),)
PYTHON := /usr/bin/python3
endif

# The tracer, one folder per stage (shared/DESIGN.md): core/ launch and
# loop, decode/, model/, event/, output/, lab/, and common/ helpers.
TRACER_SRCS := $(wildcard tracer/*/*.c)
TRACER_HDRS := $(wildcard tracer/*/*.h)
TRACER_OBJS := $(TRACER_SRCS:tracer/%.c=build/tracer/%.o)
CFLAGS_TRACE = -Itracer
MODEL_SRCS  := $(wildcard tracer/model/*.c tracer/event/*.c tracer/common/*.c)
# The page's script and styles stay JavaScript and CSS files of their own
# (tracer/output/page/); embed.sh makes them C strings, built into ./trace,
# so that the page it writes is one self-contained file.
PAGE_ASSETS := tracer/output/page/page.js tracer/output/page/page.css tracer/output/page/picture.css
PAGE_ASSETS_C := build/gen/page_assets.c

KITLIB  := kit/lib/labkit.c
LOADGEN := kit/loadgen/loadgen
LOADGEN_SRCS := $(wildcard kit/loadgen/*.c)
LAB_SRCS := $(wildcard labs/lab*/*.c)
LAB_BINS := $(LAB_SRCS:.c=)
BENCH_BINS := bench/w1_fork bench/w2_threads bench/w3_getppid bench/w4_echo

.PHONY: all test unit asan bench grade-bench clean deps build-deps pot kit-pot labs-pot pictures
HOOK    := kit/hook/libtlhook.so

# The message catalogs (gettext, docs/glossary.md for the words): three
# domains, the tracer's (po/LANG.po), the Python kit's, the grader's
# words (po/kit/LANG.po), and the labs' and load generator's own printed
# lines (po/labs/LANG.po), compiled to where ./trace, the kit and the labs
# look: build/locale/LANG/LC_MESSAGES/tracelab.mo, tracelab-kit.mo and
# tracelab-labs.mo.
PO_FILES     := $(wildcard po/*.po)
KIT_PO_FILES := $(wildcard po/kit/*.po)
LABS_PO_FILES := $(wildcard po/labs/*.po)
MO_FILES := $(PO_FILES:po/%.po=build/locale/%/LC_MESSAGES/tracelab.mo) \
	$(KIT_PO_FILES:po/kit/%.po=build/locale/%/LC_MESSAGES/tracelab-kit.mo) \
	$(LABS_PO_FILES:po/labs/%.po=build/locale/%/LC_MESSAGES/tracelab-labs.mo)
# The labs and the load generator find the labs' catalog here when they run
# without ./trace (which tells them with TRACELAB_LOCALEDIR).
KIT_LOCALEDIR := -DLABKIT_LOCALEDIR='"$(CURDIR)/build/locale"'
KIT_LANG_H    := kit/lib/kit_lang.h
KIT_PY   := $(wildcard kit/tracelab/*.py kit/tracelab/plugin/*.py)

all: trace $(LOADGEN) $(HOOK) $(LAB_BINS) $(MO_FILES)

build/locale/%/LC_MESSAGES/tracelab.mo: po/%.po | build-deps
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

build/locale/%/LC_MESSAGES/tracelab-kit.mo: po/kit/%.po | build-deps
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

build/locale/%/LC_MESSAGES/tracelab-labs.mo: po/labs/%.po | build-deps
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

# The templates of every sentence marked in the sources: _("..."), N_, P_,
# and the errors of bad() (options.c) and lab_error() (lab_conf.c), which
# translate their format (C); and _(), ngettext() (Python); and the labs'
# say() and fatal() formats, N_() (a sentence said later) and the load
# generator's fail() and _(). A translator merges them into a .po with msgmerge.
XGETTEXT = xgettext --from-code=UTF-8 --add-comments=TRANSLATORS: --package-name=tracelab \
	--msgid-bugs-address=tracelab --sort-by-file
# (TRACER_POT and KIT_POT: where they go; a test writes them elsewhere.)
TRACER_POT ?= po/tracelab.pot
KIT_POT    ?= po/kit/tracelab-kit.pot
LABS_POT   ?= po/labs/tracelab-labs.pot
pot: kit-pot labs-pot | build-deps
	$(XGETTEXT) --keyword=_ --keyword=N_ --keyword=P_:1,2 --keyword=bad --keyword=lab_error:2 \
		--flag=bad:1:c-format --flag=lab_error:2:c-format -o $(TRACER_POT) $(sort $(TRACER_SRCS))
kit-pot: | build-deps
	$(XGETTEXT) --language=Python --keyword=_ --keyword=N_ --keyword=ngettext:1,2 \
		-o $(KIT_POT) $(sort $(KIT_PY))
labs-pot: | build-deps
	$(XGETTEXT) --keyword=say --keyword=fatal --keyword=N_ --keyword=fail --keyword=_ \
		--flag=say:1:c-format --flag=fatal:1:c-format --flag=fail:1:c-format \
		-o $(LABS_POT) $(sort $(LAB_SRCS) $(KITLIB) $(LOADGEN_SRCS))

trace: $(TRACER_OBJS) build/gen/page_assets.o
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS_TRACE) -lm

$(PAGE_ASSETS_C): $(PAGE_ASSETS) tracer/output/page/embed.sh
	@mkdir -p $(dir $@)
	{ echo '#include "output/page_assets.h"'; \
	  sh tracer/output/page/embed.sh page_js tracer/output/page/page.js; \
	  sh tracer/output/page/embed.sh page_css tracer/output/page/page.css; \
	  sh tracer/output/page/embed.sh picture_css tracer/output/page/picture.css; } > $@.tmp && mv $@.tmp $@

build/gen/page_assets.o: $(PAGE_ASSETS_C) tracer/output/page_assets.h
	$(CC) $(CFLAGS) $(CFLAGS_TRACE) -c -o $@ $<

build/tracer/%.o: tracer/%.c $(TRACER_HDRS) $(KIT_LANG_H) | build-deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(CFLAGS_TRACE) -c -o $@ $<

build/asan build/unit:
	mkdir -p $@

# The load generator: its driver (loadgen.c), its clients (clients.c) and
# what both use (runtime.c).
$(LOADGEN): $(LOADGEN_SRCS) $(wildcard kit/loadgen/*.h) $(KIT_LANG_H)
	$(CC) $(CFLAGS) $(KIT_LOCALEDIR) -pthread -o $@ $(LOADGEN_SRCS)

# The preloaded hook that reports pthread_join and pthread_detach.
$(HOOK): kit/hook/tlhook.c kit/hook/tlhook.h
	$(CC) $(CFLAGS) -shared -fPIC -o $@ $< -ldl

# Every .c file in a lab folder is one program, linked with the kit library.
$(LAB_BINS): %: %.c $(KITLIB) kit/lib/labkit.h $(KIT_LANG_H)
	$(CC) $(CFLAGS) $(KIT_LOCALEDIR) -pthread -Ikit/lib -o $@ $< $(KITLIB)

# make lab3, make lab03, make lab03-select: the tracer, the load generator
# and that lab's programs. A new folder labs/labNN-name/ gets its target here.
LAB_DIRS := $(wildcard labs/lab[0-9][0-9]-*)
define lab_rule
$(1) $(2) $(notdir $(3)): trace $(LOADGEN) $(HOOK) $(patsubst %.c,%,$(wildcard $(3)/*.c))
.PHONY: $(1) $(2) $(notdir $(3))
endef
lab_num = $(patsubst lab%,%,$(firstword $(subst -, ,$(notdir $(1)))))
$(foreach d,$(LAB_DIRS),$(eval $(call lab_rule,lab$(call lab_num,$(d)),lab$(patsubst 0%,%,$(call lab_num,$(d))),$(d))))

# The process model's unit tests: plain C, no ptrace.
build/unit/test_model: tests/unit/test_model.c $(MODEL_SRCS) | build/unit
	$(CC) $(CFLAGS) $(CFLAGS_TRACE) -o $@ $^

# The choice of language when a locale or the catalog is missing: lang.c
# with setlocale wrapped, so that a test can make it fail.
build/unit/test_lang: tests/unit/test_lang.c tracer/common/lang.c tracer/common/lang.h $(KIT_LANG_H) | build/unit
	$(CC) $(CFLAGS) $(CFLAGS_TRACE) -Wl,--wrap=setlocale -o $@ tests/unit/test_lang.c tracer/common/lang.c

# The Perfetto writer and the picture, each allocation failing in turn:
# the renderers and the replay, with the allocator wrapped.
OUT_MEMORY_SRCS := $(wildcard tracer/output/*.c tracer/event/*.c tracer/common/*.c)
OUT_MEMORY_WRAP := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free,--wrap=strdup \
	-Wl,--wrap=open_memstream,--wrap=fopencookie,--wrap=fclose
build/unit/test_out_memory: tests/unit/test_out_memory.c $(OUT_MEMORY_SRCS) $(TRACER_HDRS) $(PAGE_ASSETS_C) | build/unit
	$(CC) $(CFLAGS) $(CFLAGS_TRACE) $(OUT_MEMORY_WRAP) -o $@ tests/unit/test_out_memory.c \
		$(OUT_MEMORY_SRCS) $(PAGE_ASSETS_C) -lm

# Cutting UTF-8 text on a character boundary.
build/unit/test_utf8: tests/unit/test_utf8.c tracer/common/utf8.c tracer/common/utf8.h | build/unit
	$(CC) $(CFLAGS) $(CFLAGS_TRACE) -o $@ tests/unit/test_utf8.c tracer/common/utf8.c

unit: build/unit/test_model build/unit/test_lang build/unit/test_out_memory build/unit/test_utf8 $(MO_FILES)

# A line of make's own in the language chosen as for the kit (TRACELAB_LANG,
# LANGUAGE, LC_ALL, LC_MESSAGES, LANG), from its catalog, po/kit/LANG.po:
# $(call say,KEY,NAME=VALUE ...) || echo "the English line". Python 3 alone,
# no msgfmt: it runs before anything is installed (kit/tracelab/make_says.py).
say = PYTHONPATH=$(CURDIR)/kit $(PYTHON) -m tracelab.make_says $(1) $(2) 2>/dev/null

# Install what is missing from Debian when we can (as root); otherwise say
# which packages to install. build-deps: to build; deps: to run the tests.
install_missing = missing=""; for pair in $(1); do \
		check=$${pair%%=*}; pkg=$${pair\#*=}; \
		sh -c "$$check" >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			$(call say,installing,"packages=$$missing") || echo "installing from Debian:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else { $(call say,missing,"packages=$$missing" "command=sudo apt-get install$$missing") || \
			echo "make: missing:$$missing; install them: sudo apt-get install$$missing"; } >&2; exit 2; fi; \
	fi

BUILD_DEPS = "command -v gcc=gcc" "command -v make=make" "test -f /usr/include/seccomp.h=libseccomp-dev" \
	"command -v msgfmt=gettext"
TEST_DEPS  = $(BUILD_DEPS) "command -v strace=strace" \
	"/usr/bin/python3 -c 'import pytest'=python3-pytest" \
	"/usr/bin/python3 -c 'import xdist'=python3-pytest-xdist" \
	"command -v chromium=chromium"

build-deps:
	@$(call install_missing,$(BUILD_DEPS))

deps:
	@$(call install_missing,$(TEST_DEPS))

test: deps
	$(MAKE) --no-print-directory all unit
	TRACELAB_REQUIRE_BROWSER=1 $(PYTHON) -m pytest -q $(PYTEST_ARGS)

# The tracer built with AddressSanitizer and UBSan, and its tests run on it
# (not the memory-size test: the sanitizers have memory of their own).
build/asan/trace: $(TRACER_SRCS) $(TRACER_HDRS) $(PAGE_ASSETS_C) | build/asan
	$(CC) -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -Wall -Wextra -Werror \
		-D_GNU_SOURCE $(CFLAGS_TRACE) -o $@ $(TRACER_SRCS) $(PAGE_ASSETS_C) $(LDLIBS_TRACE) -lm

asan: deps all unit build/asan/trace
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	TRACELAB_TRACE=$(CURDIR)/build/asan/trace $(PYTHON) -m pytest -q -p no:cacheprovider tests/ --deselect tests/tracer/test_tracer_cli.py::test_tracer_memory_stays_flat $(PYTEST_ARGS)

bench/%: bench/%.c
	$(CC) $(CFLAGS) -pthread -o $@ $<

bench: deps all $(BENCH_BINS)
	$(PYTHON) bench/bench.py $(BENCH_ARGS)
	$(PYTHON) bench/renderers.py $(RENDER_ARGS)
	$(PYTHON) bench/spawns.py $(SPAWN_ARGS)
	$(PYTHON) bench/labs.py $(LABS_ARGS)

# The picture of a real run in each lab's README (docs/pictures.md): every
# picture.svg (the lab as it is) and picture-VARIANT.svg (./trace labN
# VARIANT) that the README shows, made again from a new run; and README.vi.md's
# picture.vi.svg and picture-VARIANT.vi.svg, the same drawn with --lang vi.
pictures: all
	@for readme in labs/lab*/README.md labs/lab*/README.vi.md; do dir=$${readme%/*}; \
		lab=$$(basename $$dir | cut -d- -f1); \
		case $$readme in *.vi.md) lang=vi; ext=.vi.svg; pat='\.vi\.svg';; \
			*) lang=en; ext=.svg; pat='\.svg';; esac; \
		for svg in $$(grep -o "(picture[-a-z0-9]*$$pat)" $$readme | tr -d '()' | sort -u); do \
			variant=$${svg#picture}; variant=$${variant%$$ext}; variant=$${variant#-}; \
			echo "  ./trace --lang $$lang --svg $$dir/$$svg $$lab $$variant"; \
			./trace -q -o /dev/null --lang $$lang --svg $$dir/$$svg.new $$lab $$variant >/dev/null 2>&1; \
			if [ -s $$dir/$$svg.new ]; then mv $$dir/$$svg.new $$dir/$$svg; \
			else rm -f $$dir/$$svg.new; { $(call say,no-picture,"command=./trace --lang $$lang $$lab $$variant") || \
				echo "make: no picture from ./trace --lang $$lang $$lab $$variant"; } >&2; exit 1; fi; \
		done; done

# How long grading a class of 30 lab 7 submissions takes on this machine
# (docs/instructors.md); BENCH_ARGS="--size 10 --jobs 2" for a shorter one.
grade-bench: deps all
	$(PYTHON) bench/grade_class.py $(BENCH_ARGS)

clean:
	rm -rf build trace $(LOADGEN) $(HOOK) $(LAB_BINS) $(BENCH_BINS) tests/tracer/progs/build

# Grading and authoring (docs/instructors.md).
#   make grade LAB=7 SUBMISSION=path/lab07.c   that lab's tests on a student's file or folder
#   make autograder [LAB=7] [TESTS=...] [OUT=...] [TIMEOUT=600] [TRACELAB_LANG=vi]
#                                               a Gradescope autograder zip (build/)
#   make new-lab NAME=lab12-prefork             scaffold a lab and its tests
.PHONY: grade autograder new-lab

grade: all
	@if [ -z "$(LAB)" ] || [ -z "$(SUBMISSION)" ]; then \
		{ $(call say,grade-usage) || \
		echo "usage: make grade LAB=7 SUBMISSION=path/to/lab07.c [TESTS=tests/...py] [PYTEST_ARGS=...]"; } >&2; \
		exit 2; fi
	PYTHONPATH=kit $(PYTHON) -m tracelab.grade "$(SUBMISSION)" --lab "$(LAB)" $(if $(TESTS),--tests $(TESTS)) -- $(PYTEST_ARGS)

autograder:
	PYTHONPATH=kit $(PYTHON) -m tracelab.autograder $(if $(LAB),--lab "$(LAB)") $(if $(TESTS),--tests $(TESTS)) $(if $(OUT),--out "$(OUT)") $(if $(TIMEOUT),--timeout "$(TIMEOUT)") $(if $(TRACELAB_LANG),--lang "$(TRACELAB_LANG)")

new-lab:
	@if [ -z "$(NAME)" ]; then { $(call say,new-lab-usage) || echo "usage: make new-lab NAME=lab12-prefork"; } >&2; \
		exit 2; fi
	@PYTHONPATH=kit $(PYTHON) -m tracelab.scaffold "$(NAME)"
