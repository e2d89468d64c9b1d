// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/TimeAxisInput.h"

#include "gui/TimeViewport.h"

#include <QWidget>

#include <QApplication>
#include <QMouseEvent>
#include <QWheelEvent>
#include <cmath>

void TimeAxisInput::setViewport(TimeViewport* viewport, QWidget* repaint)
{
    if (repaint && viewport_)
        viewport_->disconnect(repaint);
    viewport_ = viewport;
    if (repaint && viewport_) {
        QObject::connect(viewport_, &TimeViewport::visibleChanged, repaint, qOverload<>(&QWidget::update));
        QObject::connect(viewport_, &TimeViewport::selectionChanged, repaint, qOverload<>(&QWidget::update));
    }
}

bool TimeAxisInput::press(const QMouseEvent& event, double seconds)
{
    if (!viewport_ || event.button() != Qt::LeftButton)
        return false;
    if (event.modifiers() & Qt::ShiftModifier) {
        viewport_->extendSelectionTo(seconds);
        pressed_ = false; // Shift+click only extends; a drag afterwards does not start a new selection
        return true;
    }
    pressed_ = true;
    dragging_ = false;
    pressPos_ = event.position();
    pressSeconds_ = seconds;
    return true;
}

bool TimeAxisInput::move(const QMouseEvent& event, double seconds)
{
    if (!viewport_ || !pressed_ || !(event.buttons() & Qt::LeftButton))
        return false;
    if (!dragging_ && std::abs(event.position().x() - pressPos_.x()) < QApplication::startDragDistance())
        return true; // still a click: a hand's tremor must not select 3 ms
    dragging_ = true;
    viewport_->setSelection(pressSeconds_, seconds);
    return true;
}

std::optional<double> TimeAxisInput::release(const QMouseEvent& event, double seconds)
{
    if (!viewport_ || !pressed_ || event.button() != Qt::LeftButton)
        return std::nullopt;
    pressed_ = false;
    if (dragging_) {
        dragging_ = false;
        viewport_->setSelection(pressSeconds_, seconds);
        return std::nullopt;
    }
    return pressSeconds_;
}

bool TimeAxisInput::wheel(const QWheelEvent& event, double anchorSeconds)
{
    if (!viewport_ || viewport_->duration() <= 0)
        return false;
    // 120 units = one notch; touchpads send smaller steps, which scale smoothly.
    const QPoint delta = event.angleDelta();
    if (event.modifiers() & Qt::ControlModifier) {
        const double notches = delta.y() / 120.0;
        viewport_->zoomAbout(anchorSeconds, std::pow(TimeViewport::kZoomStep, notches));
        return true;
    }
    // Vertical wheel and horizontal swipes both scroll in time: a tenth of the visible span per notch, wheel-down later.
    const double notches = (delta.x() != 0 ? -delta.x() : -delta.y()) / 120.0;
    viewport_->scrollBy(notches * viewport_->visible().span() / 10.0);
    return true;
}
