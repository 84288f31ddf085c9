using System.Runtime.Versioning;

// The library is tested where it must work: Linux (/dev/shm, POSIX semaphores, flock).
[assembly: SupportedOSPlatform("linux")]
