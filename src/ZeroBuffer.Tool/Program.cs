using ZeroBuffer.Tool.Cli;

// Exit codes: 0 = success, 1 = any problem (usage error, ZeroBuffer error, validation failure).
return ToolCommandLine.Run(args);
