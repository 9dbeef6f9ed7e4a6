# The LTP syscall subset inside umbra, with tests/ltp-extra.txt: slow
# (~5 minutes), so not part of `make check` (tests/ltp.sh has the details).
#
#   make ltp [LTP_SRC=<ltp clone>] [LTPROOT=<installed ltp>] [LTP_FILTER=REGEX]
#
# Without LTP_SRC the cached build is used: LTPROOT, /opt/ltp or $(B)/ltp.

ltp: $(B)/umbra $(B)/umbra-loader
	B=$(B) LTP_SRC="$(LTP_SRC)" LTPROOT="$(LTPROOT)" \
	LTP_FILTER="$(LTP_FILTER)" tests/ltp.sh

# LTP's setuid family as an unprivileged host user, the guest root (-0)
LTP_SETID = ^(setuid|setreuid|setresuid|setgid|setregid|setresgid|setfsuid|setfsgid|setgroups|getgroups|getresuid|getresgid)[0-9]
ltp-root: $(B)/umbra $(B)/umbra-loader
	B=$(B) LTPROOT="$(LTPROOT)" LTP_AS=$${LTP_AS:-nobody} \
	LTP_FILTER='$(LTP_SETID)' LTP_OUT=$(B)/ltp-root-out tests/ltp.sh

.PHONY: ltp ltp-root
