import FuzzSupport
import Glibc

exit(runFuzzer(fuzzCSV))
