// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/AnalyzeTab.h"

#include <QLabel>
#include <QVBoxLayout>

AnalyzeTab::AnalyzeTab(CurrentModel* model, QWidget* parent) : QWidget(parent), model_(model)
{
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Analyze: coming soon"), this), 0, Qt::AlignCenter);
}
