// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/RecordTab.h"

#include <QLabel>
#include <QVBoxLayout>

RecordTab::RecordTab(CurrentModel* model, QWidget* parent) : QWidget(parent), model_(model)
{
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Record: coming soon"), this), 0, Qt::AlignCenter);
}
