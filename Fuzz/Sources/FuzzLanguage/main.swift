import FuzzSupport
import Glibc

exit(runFuzzer(fuzzLanguage))
