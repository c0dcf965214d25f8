// Preload (node --import) for bench children: prints the process's peak RSS on exit, read by lib.ts runNode.
process.on('exit', () => process.stderr.write(`\nPB_MAXRSS_KB ${process.resourceUsage().maxRSS}\n`));
