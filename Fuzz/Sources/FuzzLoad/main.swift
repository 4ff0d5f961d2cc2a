import FuzzSupport
import Glibc

exit(runFuzzer(fuzzLoad))
