"""One module per command. Each defines NAME, HELP ({vi, en}), EXAMPLE, add_arguments(parser,
lang) and run(args) -> int; the CLI finds them by listing this package."""
