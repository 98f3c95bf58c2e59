// The studio's colour theme. Light and Dark use the Fusion style with a fixed palette, so they
// look the same on every desktop; System restores the style and palette the application started
// with. Widgets that paint themselves read QPalette, so a change applies without a restart.
// The plots keep their white "paper" in every theme (readable axes and series colours).
#pragma once

#include "preferences.h"

class QPalette;

namespace neurite {

void applyTheme(Preferences::Theme theme);
QPalette darkPalette();

}  // namespace neurite
