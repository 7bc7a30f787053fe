// Entry points for the fuzz executables; see FuzzerEntry.c.
int FuzzParsers_main(int argc, char **argv);
int FuzzBundle_main(int argc, char **argv);
