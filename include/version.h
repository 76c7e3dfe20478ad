/* version.h - the version every nerpipe program reports. */
#ifndef NERPIPE_VERSION_H
#define NERPIPE_VERSION_H

#define NERPIPE_VERSION "0.1.0"

#endif
