# SPDX-License-Identifier: GPL-2.0
# ksplice: rebootless Linux kernel updates.
#
#   make            userspace tools into build/bin/
#   make static     static guest tools into build/static/{x86_64,i386}/
#   make kmodule KDIR=/lib/modules/$(uname -r)/build    the kernel module
#   make deps       install every Debian package the project needs
#   make check      unit tests + VM tests; ends with "N passed, N failed, N skipped"
#   make check-all  make check with every corpus case on all three kernels
#   make demo       the demo on a live Debian kernel in QEMU
#   make bench      benchmarks, printed as ratios (tests/bench/run says which knobs skip what)
#   make eval-stable the stable-update evaluation, table into docs/stable-eval.md (hours)

CC      ?= gcc
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
CPPFLAGS += -I. -D_GNU_SOURCE
B       := build

# core/: code shared by the tools and the kernel module. tools/: guest tools
# (apply/undo/view); every tools/ksplice-*.c is a program, the other .c files
# are shared by them. create/: ksplice-create and ksplice-inspect (libelf, and
# libdw for the type layouts in DWARF).
CORE_SRCS   := $(wildcard core/*.c)
TOOLS_MAINS := tools/ksplice.c $(wildcard tools/ksplice-*.c)
# The update repository's client and tool (tools/repo-*.c) use libcurl and
# libcrypto: host programs only, not in the static guest builds.
REPO_MAINS  := tools/ksplice-upgrade.c tools/ksplice-repo.c
REPO_LIB    := $(wildcard tools/repo-*.c)
TOOLS_LIB   := $(filter-out $(TOOLS_MAINS) $(REPO_LIB),$(wildcard tools/*.c))
CREATE_MAINS:= $(wildcard create/ksplice-*.c)
CREATE_LIB  := $(filter-out $(CREATE_MAINS),$(wildcard create/*.c))
UNIT_TESTS  := $(wildcard tests/unit/test-*.c)

TOOLS    := $(patsubst tools/%.c,$(B)/bin/%,$(TOOLS_MAINS))
CREATORS := $(patsubst create/%.c,$(B)/bin/%,$(CREATE_MAINS))
UNIT_BINS:= $(patsubst tests/unit/%.c,$(B)/tests/unit/%,$(UNIT_TESTS))
# core/ also runs on i386: its unit tests are built as static 32-bit programs
# too, and run inside the i386 test guest (tests/vm/t-core-i386.sh), since the
# host kernel need not run 32-bit programs.
CORE_TESTS_M32 := $(patsubst tests/unit/%.c,$(B)/tests/m32/%,$(wildcard tests/unit/test-core-*.c))
HEADERS  := $(wildcard core/*.h tools/*.h create/*.h tests/lib/*.h tests/unit/*.h)

.PHONY: all static kmodule deps fixtures check check-all unit demo bench eval-stable clean install deb
all: $(TOOLS) $(CREATORS)

# Keep intermediate objects between runs.
.SECONDARY:

# Host objects.
$(B)/obj/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -c -o $@ $<

$(B)/libcore.a: $(patsubst %.c,$(B)/obj/%.o,$(CORE_SRCS))
	@mkdir -p $(dir $@); rm -f $@; $(AR) rcs $@ $^
$(B)/libtools.a: $(patsubst %.c,$(B)/obj/%.o,$(TOOLS_LIB))
	@mkdir -p $(dir $@); rm -f $@; $(AR) rcs $@ $^
$(B)/librepo.a: $(patsubst %.c,$(B)/obj/%.o,$(REPO_LIB))
	@mkdir -p $(dir $@); rm -f $@; $(AR) rcs $@ $^
$(B)/libcreate.a: $(patsubst %.c,$(B)/obj/%.o,$(CREATE_LIB))
	@mkdir -p $(dir $@); rm -f $@; $(AR) rcs $@ $^

REPO_TOOLS := $(patsubst tools/%.c,$(B)/bin/%,$(REPO_MAINS))
$(filter-out $(REPO_TOOLS),$(TOOLS)): $(B)/bin/%: $(B)/obj/tools/%.o $(B)/libtools.a $(B)/libcore.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^
$(REPO_TOOLS): $(B)/bin/%: $(B)/obj/tools/%.o $(B)/librepo.a $(B)/libtools.a $(B)/libcore.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ -lcurl -lcrypto
$(CREATORS): $(B)/bin/%: $(B)/obj/create/%.o $(B)/libcreate.a $(B)/libcore.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ -ldw -lelf

$(B)/tests/unit/%: $(B)/obj/tests/unit/%.o $(B)/libcreate.a $(B)/libtools.a $(B)/libcore.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ -ldw -lelf

$(B)/tests/m32/test-core-%: tests/unit/test-core-%.c $(CORE_SRCS) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) -m32 -static $(CPPFLAGS) $(CFLAGS) $(WARN) -o $@ $< $(CORE_SRCS)

# Static guest tools, one directory per guest architecture.
STATIC_ARCHES := x86_64 i386
m_x86_64 := -m64
m_i386   := -m32
# Test tools the guests get too (tests/vm/run-guest puts them on PATH).
GUEST_TOOLS := $(wildcard tests/guest/*.c)
static: $(foreach a,$(STATIC_ARCHES),$(patsubst tools/%.c,$(B)/static/$(a)/%,$(filter-out $(REPO_MAINS),$(TOOLS_MAINS))) \
	$(patsubst tests/guest/%.c,$(B)/static/$(a)/guest/%,$(GUEST_TOOLS)))
define static_rule
$(B)/static/$(1)/%: tools/%.c $(TOOLS_LIB) $(CORE_SRCS) $(HEADERS)
	@mkdir -p $$(dir $$@)
	$$(CC) $(m_$(1)) -static $$(CPPFLAGS) $$(CFLAGS) $$(WARN) -o $$@ $$< $(TOOLS_LIB) $(CORE_SRCS)
$(B)/static/$(1)/guest/%: tests/guest/%.c
	@mkdir -p $$(dir $$@)
	$$(CC) $(m_$(1)) -static $$(CFLAGS) $$(WARN) -o $$@ $$<
endef
$(foreach a,$(STATIC_ARCHES),$(eval $(call static_rule,$(a))))

# The kernel module, built by kbuild against KDIR.
KDIR ?= /lib/modules/$(shell uname -r)/build
kmodule:
	$(MAKE) -C kmodule KDIR=$(KDIR)

deps:
	@tools/install-deps

unit: $(UNIT_BINS) $(CORE_TESTS_M32)

# Build or fetch the three test kernels up front, so a cold run shows progress.
fixtures: deps all
	@for k in x86_64 debian i386; do tests/vm/kernel $$k >/dev/null || exit 1; done

check: deps all static unit fixtures
	@tests/run

# make check with every corpus case on the test kernels too (about 25 min more).
check-all: deps all static unit fixtures
	@KSPLICE_CORPUS_ALL=1 tests/run

demo: deps all static
	@tests/demo

# Benchmarks print ratios; they are not part of make check.
bench: deps all static fixtures
	@tests/bench/run

# How much of Debian's stable updates applies live (make check runs a sample).
eval-stable: deps all static
	@tests/eval/stable-eval --doc docs/stable-eval.md

# make install [PREFIX=/usr/local] [DESTDIR=]: the host tools into sbin (they
# change the running kernel: root only), ksplice-create/-inspect into bin,
# the systemd unit (ExecStart pointing at the installed sbin), man pages,
# bash completion (one file, linked under every command's name), and the
# configuration file unless one is there already.
PREFIX  ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
BINDIR  ?= $(PREFIX)/bin
UNITDIR ?= $(if $(filter /usr,$(PREFIX)),/lib/systemd/system,$(PREFIX)/lib/systemd/system)
MANDIR  ?= $(PREFIX)/share/man
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
CONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc/ksplice,$(PREFIX)/etc/ksplice)
install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR)
	install -m 755 $(TOOLS) $(DESTDIR)$(SBINDIR)/
	install -m 755 $(CREATORS) $(DESTDIR)$(BINDIR)/
	sed 's|@SBINDIR@|$(SBINDIR)|g' tools/service/ksplice.service.in >$(DESTDIR)$(UNITDIR)/ksplice.service
	chmod 644 $(DESTDIR)$(UNITDIR)/ksplice.service
	for s in 1 7 8; do \
		install -d $(DESTDIR)$(MANDIR)/man$$s; \
		for p in docs/man/*.$$s; do [ ! -f "$$p" ] || install -m 644 "$$p" $(DESTDIR)$(MANDIR)/man$$s/; done; \
	done
	install -d $(DESTDIR)$(COMPLETIONDIR) $(DESTDIR)$(CONFDIR)
	install -m 644 tools/completion/ksplice $(DESTDIR)$(COMPLETIONDIR)/ksplice
	for t in $(notdir $(TOOLS) $(CREATORS)); do \
		[ $$t = ksplice ] || ln -sf ksplice $(DESTDIR)$(COMPLETIONDIR)/$$t; \
	done
	[ -e $(DESTDIR)$(CONFDIR)/ksplice.conf ] || install -m 644 tools/service/ksplice.conf $(DESTDIR)$(CONFDIR)/

# make deb: the Debian packages ksplice and ksplice-dkms (debhelper), built
# from a copy of the tree in build/deb/, checked with lintian.
deb: deps
	@tools/make-deb

clean:
	rm -rf $(B)
	$(MAKE) -C kmodule clean KDIR=$(KDIR) >/dev/null 2>&1 || true
