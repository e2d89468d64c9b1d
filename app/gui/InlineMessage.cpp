// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/InlineMessage.h"

InlineMessage::InlineMessage(QWidget* parent) : QLabel(parent)
{
    setWordWrap(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    hide();
}

void InlineMessage::display(const QString& text, bool isError)
{
    setText(text);
    setStyleSheet(isError ? QStringLiteral("QLabel { background: #fde2e1; color: #8a1c17; padding: 6px; "
                                           "border: 1px solid #e5a09c; border-radius: 3px; }")
                          : QStringLiteral("QLabel { padding: 6px; }"));
    setVisible(!text.isEmpty());
}
