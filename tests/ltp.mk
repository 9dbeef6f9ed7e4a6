# The LTP syscall subset inside umbra, with tests/ltp-extra.txt: slow
# (~5 minutes), so not part of `make check` (tests/ltp.sh has the details).
#
#   make ltp [LTP_SRC=<ltp clone>] [LTPROOT=<installed ltp>] [LTP_FILTER=REGEX]
#
# Without LTP_SRC the cached build is used: LTPROOT, /opt/ltp or $(B)/ltp.

ltp: $(B)/umbra $(B)/umbra-loader
	B=$(B) LTP_SRC="$(LTP_SRC)" LTPROOT="$(LTPROOT)" \
	LTP_FILTER="$(LTP_FILTER)" tests/ltp.sh

.PHONY: ltp
